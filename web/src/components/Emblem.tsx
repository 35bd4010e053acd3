/** The Loket emblem: a service counter window with a letter on its ledge, drawn in SVG. */
import { useId } from 'react';

type EmblemProps = { size?: number; title?: string };

export function Emblem({ size = 40, title }: EmblemProps) {
  const id = useId();
  const bg = `${id}-bg`;
  const glow = `${id}-glow`;
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 64 64"
      role="img"
      aria-hidden={title ? undefined : true}
      aria-label={title}
      style={{ flexShrink: 0, display: 'block' }}
    >
      {title ? <title>{title}</title> : null}
      <defs>
        <linearGradient id={bg} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2467a8" />
          <stop offset="1" stopColor="#0f2f54" />
        </linearGradient>
        <radialGradient id={glow} cx="0.5" cy="0.15" r="0.8">
          <stop offset="0" stopColor="#ffffff" stopOpacity="0.28" />
          <stop offset="1" stopColor="#ffffff" stopOpacity="0" />
        </radialGradient>
      </defs>
      <rect x="2" y="2" width="60" height="60" rx="16" fill={`url(#${bg})`} />
      <rect x="2" y="2" width="60" height="60" rx="16" fill={`url(#${glow})`} />
      {/* The counter window: an arch with a lintel stripe. */}
      <path
        d="M18 45V27.5C18 19.5 24.3 13 32 13s14 6.5 14 14.5V45"
        fill="none"
        stroke="#ffffff"
        strokeWidth="3.4"
        strokeLinecap="round"
      />
      <path
        d="M23.5 27.5a8.5 8.5 0 0 1 17 0"
        fill="none"
        stroke="#f4c252"
        strokeWidth="2.6"
        strokeLinecap="round"
      />
      {/* A letter handed over the counter. */}
      <g transform="rotate(-8 32 37)">
        <rect x="24.5" y="30" width="15" height="12" rx="1.8" fill="#ffffff" />
        <path
          d="M24.8 30.8l7.2 5.4 7.2-5.4"
          fill="none"
          stroke="#2467a8"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
      </g>
      {/* The ledge. */}
      <rect x="12" y="44" width="40" height="5" rx="2.5" fill="#f4c252" />
      <rect x="16" y="50.5" width="32" height="2.4" rx="1.2" fill="#ffffff" fillOpacity="0.35" />
    </svg>
  );
}
