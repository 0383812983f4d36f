/**
 * A succinct age such as `45s`, `3m20s`, `5h`, `2d3h`, with 2-3 significant figures: the same text as
 * apimachinery's `duration.HumanDuration`, which the API server puts in the Age cell of a Table.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return withRemainder(Math.trunc(hours / 24), 'd', hours % 24, 'h');
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) return withRemainder(Math.trunc(days / 365), 'y', days % 365, 'd');
  return `${Math.trunc(days / 365)}y`;
}

const withRemainder = (major: number, unit: string, minor: number, minorUnit: string): string =>
  minor === 0 ? `${major}${unit}` : `${major}${unit}${minor}${minorUnit}`;

/** The Age of an RFC 3339 timestamp at `now`; `<invalid>` for a malformed one, as the apiserver prints. */
export function ageOf(timestamp: string, now: Date): string {
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return '<invalid>';
  return humanDuration(now.getTime() - time);
}
