import { Body, Controller, Inject, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessGate } from '../access-gate.service';
import { CurrentPrincipal, Principal } from '../principal';
import { PROTOBUF_BODY_ROUTE } from './protobuf-body';
import { accessReview, rulesReview, selfReview } from './reviews';

type Review = { spec?: Record<string, unknown> } | undefined;

/** What kubectl auth can-i, can-i --list and whoami ask; JSON or kubectl's protobuf in, JSON out. */
@ApiTags('kubectl')
@Controller('apis')
export class SelfReviewController {
  constructor(@Inject(AccessGate) private readonly gate: AccessGate) {}

  @Post('authorization.k8s.io/v1/selfsubjectaccessreviews')
  @RouteConfig({ [PROTOBUF_BODY_ROUTE]: true })
  @ApiOperation({ operationId: 'createSelfSubjectAccessReview', summary: 'May I? (kubectl auth can-i)' })
  @ApiBody({ schema: { type: 'object' }, examples: { create: { summary: 'May I create WorkloadEntries in bookinfo?', value: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'bookinfo', verb: 'create', group: 'networking.istio.io', resource: 'workloadentries' } } } } } })
  createSelfSubjectAccessReview(@CurrentPrincipal() principal: Principal, @Body() body: Review) {
    return accessReview(principal, body?.spec, (attributes) => this.gate.ownerOf(attributes));
  }

  @Post('authorization.k8s.io/v1/selfsubjectrulesreviews')
  @RouteConfig({ [PROTOBUF_BODY_ROUTE]: true })
  @ApiOperation({ operationId: 'createSelfSubjectRulesReview', summary: 'What may I do in a namespace? (kubectl auth can-i --list)' })
  @ApiBody({ schema: { type: 'object' }, examples: { bookinfo: { summary: 'In bookinfo', value: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'bookinfo' } } } } })
  createSelfSubjectRulesReview(@CurrentPrincipal() principal: Principal, @Body() body: Review) {
    return rulesReview(principal, body?.spec);
  }

  @Post('authentication.k8s.io/v1/selfsubjectreviews')
  @RouteConfig({ [PROTOBUF_BODY_ROUTE]: true })
  @ApiOperation({ operationId: 'createSelfSubjectReview', summary: 'Who am I? (kubectl auth whoami)' })
  @ApiBody({ schema: { type: 'object' }, examples: { whoami: { summary: 'Who am I?', value: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } } } })
  createSelfSubjectReview(@CurrentPrincipal() principal: Principal) {
    return selfReview(principal);
  }
}
