/** Decoration for the welcome banner: the emblem's counter window, large and faint. */
export function BannerArt() {
  return (
    <svg
      className="banner-art"
      viewBox="0 0 240 200"
      width="240"
      height="200"
      aria-hidden="true"
      focusable="false"
      role="presentation"
    >
      <path
        d="M30 200V108C30 59 70 20 120 20s90 39 90 88v92"
        fill="none"
        stroke="#ffffff"
        strokeOpacity="0.07"
        strokeWidth="24"
      />
      <path
        d="M72 200v-80c0-27 21-48 48-48s48 21 48 48v80"
        fill="none"
        stroke="#ffffff"
        strokeOpacity="0.12"
        strokeWidth="8"
      />
      <path
        d="M88 118a32 32 0 0 1 64 0"
        fill="none"
        stroke="#f4c252"
        strokeOpacity="0.9"
        strokeWidth="6"
        strokeLinecap="round"
      />
      <g transform="rotate(-8 120 150)">
        <rect x="98" y="134" width="44" height="32" rx="4" fill="#ffffff" fillOpacity="0.85" />
        <path d="M99 136l21 15 21-15" fill="none" stroke="#1d5fad" strokeWidth="3" strokeLinejoin="round" />
      </g>
      <rect x="40" y="170" width="160" height="12" rx="6" fill="#f4c252" fillOpacity="0.9" />
    </svg>
  );
}
