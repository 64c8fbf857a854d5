import { assertWebhookUrlAllowed, refusedAddress } from './webhook-address';

describe('webhook addresses', () => {
  const strict = { allowPrivateAddresses: false, requireHttps: false };

  it.each([
    ['127.0.0.1', 'loopback'], ['10.0.0.1', 'private'], ['172.16.5.4', 'private'], ['192.168.1.1', 'private'], ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'], ['::1', 'loopback'], ['fe80::1', 'linkLocal'], ['fd00:ec2::254', 'uniqueLocal'], ['::ffff:10.0.0.1', 'private'],
  ])('%s is refused (%s)', (address, range) => {
    expect(refusedAddress(address)).toBe(`is a ${range} address`);
  });

  it('a public address is fine', () => {
    expect(refusedAddress('93.184.216.34')).toBeNull();
    expect(refusedAddress('2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
  });

  it('every address a name resolves to must be public', async () => {
    await expect(assertWebhookUrlAllowed('https://jms.example/h', strict, async () => ['93.184.216.34', '10.0.0.7'])).rejects.toThrow(/10\.0\.0\.7, which is a private address/);
    await expect(assertWebhookUrlAllowed('https://jms.example/h', strict, async () => ['93.184.216.34'])).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookUrlAllowed('https://jms.example/h', strict, async () => { throw new Error('ENOTFOUND'); })).rejects.toThrow(/does not resolve/);
  });

  it('https only in production; the test-only allowance lets private addresses through', async () => {
    await expect(assertWebhookUrlAllowed('http://93.184.216.34/h', { allowPrivateAddresses: false, requireHttps: true })).rejects.toThrow(/https URL/);
    await expect(assertWebhookUrlAllowed('http://127.0.0.1:9/h', { allowPrivateAddresses: true, requireHttps: false })).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookUrlAllowed('https://user:pw@93.184.216.34/h', strict)).rejects.toThrow(/credentials/);
  });
});
