// Words for cron schedules and run durations. Pipelines run on UTC cron expressions
// (spec.pipeline.schedule); the common shapes get a sentence, anything else is shown as is.

const DAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
};

const isNumber = (field: string) => /^\d+$/.test(field);
const pad = (value: string) => value.padStart(2, '0');

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1-5` → Monday to Friday, `0,6` → Sunday and Saturday; undefined when not simple. */
function describeDays(field: string): string | undefined {
  const range = /^(\d)-(\d)$/.exec(field);
  if (range) {
    const [from, to] = [Number(range[1]) % 7, Number(range[2]) % 7];
    return `${DAYS[from]} to ${DAYS[to]}`;
  }
  const days = field.split(',');
  if (!days.every(d => /^\d$/.test(d) && Number(d) <= 7)) return undefined;
  return listOf(days.map(d => DAYS[Number(d) % 7]));
}

/**
 * A cron expression (UTC) in words: "every day at 06:00 UTC", "every hour at minute 15",
 * "every 15 minutes", "every Monday to Friday at 07:30 UTC". Undefined when the expression has no
 * simple reading (show the expression itself then).
 */
export function describeCron(expression: string): string | undefined {
  const normalised = MACROS[expression.trim()] ?? expression.trim();
  const fields = normalised.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (month !== '*') return undefined;

  const step = (field: string) => /^\*\/(\d+)$/.exec(field)?.[1];
  if (hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') {
    if (minute === '*') return 'every minute';
    if (step(minute)) return `every ${step(minute)} minutes`;
    if (isNumber(minute)) return `every hour at minute ${Number(minute)}`;
    return undefined;
  }
  if (!isNumber(minute)) return undefined;
  if (step(hour) && dayOfMonth === '*' && dayOfWeek === '*') {
    return `every ${step(hour)} hours at minute ${Number(minute)}`;
  }
  const hours = hour.split(',');
  if (!hours.every(isNumber)) return undefined;
  const times = `${listOf(hours.map(h => `${pad(h)}:${pad(minute)}`))} UTC`;
  if (dayOfMonth === '*' && dayOfWeek === '*') return `every day at ${times}`;
  if (dayOfMonth === '*') {
    const days = describeDays(dayOfWeek);
    return days ? `every ${days} at ${times}` : undefined;
  }
  if (dayOfWeek === '*' && isNumber(dayOfMonth)) {
    return `on day ${Number(dayOfMonth)} of every month at ${times}`;
  }
  return undefined;
}

/** "Runs every day at 06:00 UTC", "Runs on cron 5 4 * 1 * (UTC)", or "Runs on demand only". */
export function describeSchedule(schedule?: string): string {
  if (!schedule) return 'Runs on demand only (no schedule)';
  const words = describeCron(schedule);
  return words ? `Runs ${words}` : `Runs on cron ${schedule} (UTC)`;
}

/** 850 ms, 4.2 s, 3 min 5 s, 1 h 2 min. */
export function formatDuration(ms?: number): string {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1).replace(/\.0$/, '')} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${totalSeconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
