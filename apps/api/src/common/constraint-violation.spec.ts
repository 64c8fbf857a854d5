import { constraintViolation } from './domain-exception.filter';

describe('constraintViolation: what PostgreSQL refused, as the API names it', () => {
  it.each([
    [{ code: '23505', detail: 'Key (code)=(SEA) already exists.', constraint: 'areas_code_key' }, 409, 'code'],
    [{ code: '23505', detail: 'Key (lower(username))=(admin) already exists.', constraint: 'users_username_key' }, 409, 'username'],
    [{ code: '23505', detail: 'Key (agency_id, label)=(x, y) already exists.' }, 409, 'agencyId'],
    [{ code: '23503', detail: 'Key (jurisdiction_id)=(0000) is not present in table "jurisdictions".' }, 400, 'jurisdictionId'],
    [{ code: '23503', detail: 'Key (id)=(0000) is still referenced from table "agencies".' }, 409, 'id'],
    [{ code: '23502', column: 'time_zone' }, 400, 'timeZone'],
    [{ code: '23514', constraint: 'areas_code_check', table: 'areas' }, 400, 'code'],
    [{ code: '23514', constraint: 'users_check', table: 'users' }, 400, 'body'],
  ])('%o -> %i naming %s, never the value', (error, status, field) => {
    const body = constraintViolation(error)!;
    expect(body.statusCode).toBe(status);
    expect((body.details as { field: string }[])[0].field).toBe(field);
    expect(JSON.stringify(body)).not.toMatch(/SEA|admin|0000/);
  });

  it('leaves other errors alone', () => {
    expect(constraintViolation({ code: '40001' })).toBeNull();
    expect(constraintViolation(new Error('x'))).toBeNull();
  });
});
