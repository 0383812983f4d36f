import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { TokenRepository } from '../store/token.repository';
import { DataDir } from '../tls/data-dir';
import { TLS_FILES } from '../tls/server-tls';
import { kubeconfigYaml } from './kubeconfig';
import { ROLES } from './roles';
import { formatToken, hashSecret, newSecret, newTokenId, parseToken } from './token-format';
import { TokenCache } from './token-cache.service';
import { isUsable } from './token-record';

export const ADMIN_TOKEN_FILE = 'admin.token';
export const KUBECONFIG_FILE = 'kubeconfig';
const PENDING_FILE = `${ADMIN_TOKEN_FILE}.pending`;
const ADMIN_SUBJECT = 'admin';

/**
 * The first credential, as k3s makes it: REGISTRY_ADMIN_TOKEN seeds an admin token; otherwise, on a
 * first start (no token at all), one is generated and written (mode 0600) into the data directory,
 * and after the listener is up, a kubeconfig with the server URL, the CA and that token beside it.
 */
@Injectable()
export class FirstCredential {
  private readonly logger = new Logger(FirstCredential.name);
  /** The admin token this replica found in or wrote to the data directory. */
  private adminToken?: string;

  constructor(
    @Inject(TokenRepository) private readonly repository: TokenRepository,
    @Inject(TokenCache) private readonly tokens: TokenCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async seed(): Promise<void> {
    const given = this.config.security.adminToken;
    if (given) return this.seedGiven(given);
    const dir = await DataDir.open(this.config.security.dataDir);
    // A start that stored its token but died before renaming the file finishes the rename now.
    const pending = (await dir.read(PENDING_FILE))?.trim();
    if (pending && (await this.repository.exists(parseToken(pending)?.id ?? ''))) await dir.rename(PENDING_FILE, ADMIN_TOKEN_FILE);
    this.adminToken = (await dir.read(ADMIN_TOKEN_FILE))?.trim();
    if (await this.repository.hasAny()) return;
    const id = newTokenId();
    const secret = newSecret();
    // The file first: a crash before the insert leaves an unused file, never an admin token nobody has.
    await dir.write(PENDING_FILE, `${formatToken(id, secret)}\n`);
    if (!(await this.repository.createIfNone(this.adminRow(id, secret, 'first start')))) return void (await dir.remove(PENDING_FILE));
    await dir.rename(PENDING_FILE, ADMIN_TOKEN_FILE);
    this.adminToken = formatToken(id, secret);
    await this.repository.announce(id);
    this.logger.log(`first start: generated admin token ${id}; its secret is in ${dir.file(ADMIN_TOKEN_FILE)} (mode 0600)`);
  }

  /** After the tokens are loaded: the admin token of the data directory, if it still works. */
  usableAdminToken(): string | undefined {
    const parsed = this.adminToken ? parseToken(this.adminToken) : undefined;
    const record = parsed && this.tokens.get(parsed.id);
    return record && isUsable(record.row, this.config.security.clock.now()) ? this.adminToken : undefined;
  }

  /**
   * Writes the kubeconfig for `server` when this data directory holds a working admin token, with the
   * generated CA (none for TLS_CERT_FILE, whose issuer the clients are expected to trust already).
   */
  async writeKubeconfig(server: string): Promise<string | undefined> {
    const token = this.usableAdminToken();
    if (!token) return undefined;
    const dir = await DataDir.open(this.config.security.dataDir);
    const generatedCa = this.config.security.tls === 'on' && !this.config.security.tlsCertFile;
    const caPem = generatedCa ? await dir.read(TLS_FILES.caCert) : undefined;
    const path = await dir.write(KUBECONFIG_FILE, kubeconfigYaml({ server, token, caPem }));
    this.logger.log(`kubeconfig for kubectl (admin token ${parseToken(token)!.id}, ${server}): ${path}; use it with KUBECONFIG=${path} kubectl get we -A`);
    return path;
  }

  private async seedGiven(token: string): Promise<void> {
    const { id, secret } = parseToken(token)!;
    const outcome = await this.repository.upsertUnlessRevoked(this.adminRow(id, secret, 'REGISTRY_ADMIN_TOKEN'));
    if (outcome === 'revoked') this.logger.warn(`REGISTRY_ADMIN_TOKEN names token ${id}, which was revoked: it stays revoked`);
    else this.logger.log(`REGISTRY_ADMIN_TOKEN: admin token ${id} ${outcome}`);
    if (outcome === 'created' || outcome === 'updated') await this.repository.announce(id);
  }

  private adminRow(id: string, secret: string, createdBy: string) {
    return {
      id, secretHash: hashSecret(secret), subject: ADMIN_SUBJECT, role: 'admin', rules: ROLES.admin, registration: null,
      description: 'the first admin token', createdBy, expiresAt: null,
    };
  }
}
