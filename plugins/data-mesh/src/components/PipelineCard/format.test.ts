import { describeCron, describeSchedule, formatDuration } from './format';

describe('describeCron', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['15 * * * *', 'every hour at minute 15'],
    ['@hourly', 'every hour at minute 0'],
    ['0 */6 * * *', 'every 6 hours at minute 0'],
    ['0 6 * * *', 'every day at 06:00 UTC'],
    ['@daily', 'every day at 00:00 UTC'],
    ['30 6,18 * * *', 'every day at 06:30 and 18:30 UTC'],
    ['30 7 * * 1-5', 'every Monday to Friday at 07:30 UTC'],
    ['0 9 * * 1', 'every Monday at 09:00 UTC'],
    ['0 9 * * 0,6', 'every Sunday and Saturday at 09:00 UTC'],
    ['0 2 1 * *', 'on day 1 of every month at 02:00 UTC'],
  ])('reads %s as "%s"', (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it.each(['0 0 1 1 *', '5-10 * * * *', 'not a cron', '0 6 * * MON'])(
    'has no words for %s',
    cron => {
      expect(describeCron(cron)).toBeUndefined();
    },
  );
});

describe('describeSchedule', () => {
  it('says when a pipeline only runs on demand', () => {
    expect(describeSchedule(undefined)).toBe(
      'Runs on demand only (no schedule)',
    );
  });

  it('shows an expression it cannot put in words as is', () => {
    expect(describeSchedule('0 0 1 1 *')).toBe('Runs on cron 0 0 1 1 * (UTC)');
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850 ms'],
    [4200, '4.2 s'],
    [4000, '4 s'],
    [185_000, '3 min 5 s'],
    [3_720_000, '1 h 2 min'],
    [undefined, ''],
  ])('formats %p as "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
