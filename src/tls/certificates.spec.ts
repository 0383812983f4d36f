import { X509Certificate } from 'node:crypto';
import { createCa, createServerCertificate, serverCertificateFits } from './certificates';

describe('generated certificates', () => {
  const now = new Date('2026-12-10T00:00:00Z');
  let ca: Awaited<ReturnType<typeof createCa>>;
  beforeAll(async () => {
    ca = await createCa(now);
  });

  it('makes a CA and a server certificate it signs, for DNS names and IP addresses', async () => {
    const server = await createServerCertificate(ca, ['localhost', '127.0.0.1', '::1', 'registry.example.com'], now);
    const cert = new X509Certificate(server.certPem);
    const issuer = new X509Certificate(ca.certPem);
    expect(issuer.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(issuer.publicKey)).toBe(true);
    expect(cert.checkHost('registry.example.com')).toBe('registry.example.com');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('other.example.com')).toBeUndefined();
    expect(server.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps a certificate that fits and replaces one with other names, another CA, or near its end', async () => {
    const names = ['localhost', '127.0.0.1'];
    const server = await createServerCertificate(ca, names, now);
    expect(await serverCertificateFits(server.certPem, ca.certPem, names, now)).toBe(true);
    expect(await serverCertificateFits(server.certPem, ca.certPem, [...names, 'extra.example.com'], now)).toBe(false);
    expect(await serverCertificateFits(server.certPem, (await createCa(now)).certPem, names, now)).toBe(false);
    expect(await serverCertificateFits(server.certPem, ca.certPem, names, new Date(now.getTime() + 340 * 86_400_000))).toBe(false);
    expect(await serverCertificateFits('not a certificate', ca.certPem, names, now)).toBe(false);
  });
});
