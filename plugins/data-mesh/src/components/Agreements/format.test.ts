import { ResponseError } from '@backstage/errors';
import { errorMessage, errorStatus, eventLabel } from './format';

describe('errorMessage', () => {
  it("takes the server's message out of a ResponseError", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'An open agreement already exists',
          },
          request: { method: 'POST', url: '/agreements' },
          response: { statusCode: 409 },
        }),
        {
          status: 409,
          statusText: 'Conflict',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    expect(errorMessage(error)).toBe('An open agreement already exists');
    expect(errorStatus(error)).toBe(409);
  });

  it('falls back to the message of other errors', () => {
    expect(errorMessage(new Error('offline'))).toBe('offline');
    expect(errorStatus(new Error('offline'))).toBeUndefined();
    expect(errorMessage('odd')).toBe('odd');
  });
});

describe('eventLabel', () => {
  it('says known actions in words and passes unknown ones through', () => {
    expect(eventLabel('approved-first-level')).toBe(
      'Approved at the first level',
    );
    expect(eventLabel('grant-failed')).toBe('Grant failed');
    expect(eventLabel('something-new')).toBe('something-new');
  });
});
