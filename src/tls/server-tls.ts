import { Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { SecurityConfig } from '../config/security-config';
import { createCa, createServerCertificate, serverCertificateFits } from './certificates';
import { DataDir } from './data-dir';

export interface ServerTls {
  key: string;
  cert: string;
  /** The CA to trust for `cert` (the generated one), for kubeconfigs; undefined for given files. */
  caPem?: string;
}

export const TLS_FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key' } as const;

/** The names the generated server certificate is valid for. */
export function serverNames(extra: readonly string[]): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extra])];
}

/**
 * What the HTTPS listener serves: the given files, or a CA and server certificate generated into the
 * data directory on first start and reused after (the server certificate is re-issued by the same CA
 * when its names change or it nears its end, so kubeconfigs keep working). Undefined with TLS=off.
 */
export async function serverTls(config: SecurityConfig): Promise<ServerTls | undefined> {
  if (config.tls === 'off') return undefined;
  if (config.tlsCertFile && config.tlsKeyFile) {
    const [cert, key] = await Promise.all([readFile(config.tlsCertFile, 'utf8'), readFile(config.tlsKeyFile, 'utf8')]).catch((error: Error) => {
      throw Object.assign(new Error(`TLS_CERT_FILE/TLS_KEY_FILE cannot be read: ${error.message}`), { name: 'TlsError' });
    });
    return { cert, key };
  }
  return generatedTls(await DataDir.open(config.dataDir), serverNames(config.tlsSans));
}

async function generatedTls(dir: DataDir, names: string[]): Promise<ServerTls> {
  const logger = new Logger('TLS');
  const now = new Date();
  let [caCert, caKey] = await Promise.all([dir.read(TLS_FILES.caCert), dir.read(TLS_FILES.caKey)]);
  if (!caCert || !caKey) {
    const ca = await createCa(now);
    [caCert, caKey] = [ca.certPem, ca.keyPem];
    await dir.write(TLS_FILES.caKey, caKey);
    await dir.write(TLS_FILES.caCert, caCert);
    logger.log(`generated a CA: ${dir.file(TLS_FILES.caCert)}`);
  }
  let [cert, key] = await Promise.all([dir.read(TLS_FILES.cert), dir.read(TLS_FILES.key)]);
  if (!cert || !key || !(await serverCertificateFits(cert, caCert, names, now))) {
    const issued = await createServerCertificate({ certPem: caCert, keyPem: caKey }, names, now);
    [cert, key] = [issued.certPem, issued.keyPem];
    await dir.write(TLS_FILES.key, key);
    await dir.write(TLS_FILES.cert, cert);
    logger.log(`issued a server certificate for ${names.join(', ')}: ${dir.file(TLS_FILES.cert)}`);
  }
  return { cert, key, caPem: caCert };
}
