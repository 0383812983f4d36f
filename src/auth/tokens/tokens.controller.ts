import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '../principal';
import { TokenService } from './token.service';
import { tokenList, tokenObject } from './token-object';

const GROUP = 'apis/registry.mesh.io/v1alpha1';
const idParam = ApiParam({ name: 'id', description: 'The token id (the 6 characters after `mr_`).', example: 'ab12cd' });

/** Bearer tokens: created with a role or rules, listed without secrets, revoked by deleting them. */
@ApiTags('tokens')
@Controller(GROUP)
export class TokensController {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  @Post('tokens')
  @ApiOperation({ operationId: 'createToken', summary: 'Create a token with a role (admin, editor, viewer, registrar) or rules; its secret is shown once, in status.token' })
  @ApiBody({ schema: { type: 'object' }, examples: {
    viewer: { summary: 'A read-only token for a dashboard, for 30 days', value: { subject: 'dashboard', role: 'viewer', ttlSeconds: 2592000 } },
    editor: { summary: 'An editor of one namespace', value: { subject: 'ci:bookinfo', role: 'editor', namespaces: ['bookinfo'] } },
  } })
  createToken(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.tokens.createToken(principal, body);
  }

  @Get('tokens')
  @ApiOperation({ operationId: 'listTokens', summary: 'List every token (never a secret)' })
  listTokens() {
    return tokenList('TokenList', this.tokens.list());
  }

  @Get('tokens/:id')
  @idParam
  @ApiOperation({ operationId: 'readToken', summary: 'Read a token (never its secret)' })
  readToken(@Param('id') id: string) {
    return tokenObject(this.tokens.get(id));
  }

  @Delete('tokens/:id')
  @HttpCode(200)
  @idParam
  @ApiOperation({ operationId: 'revokeToken', summary: 'Revoke a token: refused at once on every replica' })
  revokeToken(@Param('id') id: string) {
    return this.tokens.revoke(id);
  }

  @Post('namespaces/:namespace/registrationtokens')
  @ApiParam({ name: 'namespace', example: 'bookinfo' })
  @ApiOperation({ operationId: 'createRegistrationToken', summary: 'Create a registration token for one WorkloadGroup; its secret is shown once, in status.token' })
  @ApiBody({ schema: { type: 'object' }, examples: {
    vms: { summary: 'VMs of one subnet register into WorkloadGroup details', value: { group: 'details', addressCIDRs: ['10.0.0.0/24'], maxEntries: 50, ttlSeconds: 86400 } },
  } })
  createRegistrationToken(@CurrentPrincipal() principal: Principal, @Param('namespace') namespace: string, @Body() body: unknown) {
    return this.tokens.createRegistrationToken(principal, namespace, body);
  }

  @Get('namespaces/:namespace/registrationtokens')
  @ApiParam({ name: 'namespace', example: 'bookinfo' })
  @ApiOperation({ operationId: 'listRegistrationTokens', summary: 'List the registration tokens of a namespace (never a secret)' })
  listRegistrationTokens(@Param('namespace') namespace: string) {
    return tokenList('RegistrationTokenList', this.tokens.list(namespace));
  }

  @Get('namespaces/:namespace/registrationtokens/:id')
  @ApiParam({ name: 'namespace', example: 'bookinfo' })
  @idParam
  @ApiOperation({ operationId: 'readRegistrationToken', summary: 'Read a registration token (never its secret)' })
  readRegistrationToken(@Param('namespace') namespace: string, @Param('id') id: string) {
    return tokenObject(this.tokens.get(id, namespace));
  }

  @Delete('namespaces/:namespace/registrationtokens/:id')
  @HttpCode(200)
  @ApiParam({ name: 'namespace', example: 'bookinfo' })
  @idParam
  @ApiOperation({ operationId: 'revokeRegistrationToken', summary: 'Revoke a registration token: refused at once on every replica' })
  revokeRegistrationToken(@Param('namespace') namespace: string, @Param('id') id: string) {
    return this.tokens.revoke(id, namespace);
  }
}
