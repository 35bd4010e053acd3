import { Outlet } from '@tanstack/react-router';
import { hasRole, useMe } from '../session.ts';
import { ForbiddenPage } from './ErrorPages.tsx';

/** Admin pages: everyone else sees an explanation instead of a broken page. */
export function AdminGate() {
  const me = useMe();
  return hasRole(me, 'admin') ? <Outlet /> : <ForbiddenPage />;
}
