/** Holidays and cuti bersama from the server's calendar, for wording due times in working days. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { holidaysApi } from '../api/endpoints.ts';

const EMPTY: ReadonlySet<string> = new Set();

/** This year's and next year's holidays as `YYYY-MM-DD` days; empty while loading or without the API. */
export function useHolidays(): ReadonlySet<string> {
  const year = new Date().getFullYear();
  const query = useQuery({
    queryKey: ['holidays', year],
    queryFn: async () => {
      const lists = await Promise.all([
        holidaysApi.list(year - 1),
        holidaysApi.list(year),
        holidaysApi.list(year + 1),
      ]);
      return new Set(lists.flat().map((holiday) => holiday.date.slice(0, 10)));
    },
    staleTime: 24 * 60 * 60_000,
    retry: false,
  });
  return query.data ?? EMPTY;
}

/** The current time, refreshed every `intervalMs` so relative times ("2 jam lagi") stay true. */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
