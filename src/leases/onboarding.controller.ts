import { Body, Controller, HttpCode, Inject, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { refOf } from '../resources/object-rules';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { HeartbeatAnswer, LeaseService } from './lease.service';
import { reportedHealth } from './lease-rules';
import { onboardingDocs } from './onboarding-openapi';
import { parseHeartbeatBody, sourceAddress } from './registration-body';
import { RegistrationAnswer, RegistrationService } from './registration.service';

const HEARTBEAT = 'namespaces/:namespace/workloadentries/:name/heartbeat';

/** Registration on boot and heartbeats (deregistration is the entry's DELETE). */
@ApiTags('onboarding')
@Controller('apis/networking.istio.io/v1')
export class OnboardingController {
  constructor(
    @Inject(RegistrationService) private readonly registrations: RegistrationService,
    @Inject(LeaseService) private readonly leases: LeaseService,
  ) {}

  @Post('namespaces/:namespace/workloadgroups/:name/register')
  @onboardingDocs.register()
  async register(@Param('namespace') namespace: string, @Param('name') name: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<RegistrationAnswer> {
    const answer = await this.registrations.register(namespace, name, body, sourceAddress(request.ip), request.principal);
    void reply.status(answer.result === 'created' ? 201 : 200);
    return answer;
  }

  @Post(HEARTBEAT)
  @HttpCode(200)
  @onboardingDocs.heartbeat()
  heartbeat(@Param('namespace') namespace: string, @Param('name') name: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<HeartbeatAnswer> {
    const { healthy, message } = parseHeartbeatBody(body, refOf(workloadEntryKind, name));
    return this.leases.heartbeat(namespace, name, reportedHealth(healthy, message), request.principal);
  }

  // PUT and PATCH are the same heartbeat (for clients that only renew with them); the page shows POST.
  @Put(HEARTBEAT)
  @HttpCode(200)
  @ApiExcludeEndpoint()
  heartbeatPut(@Param('namespace') namespace: string, @Param('name') name: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<HeartbeatAnswer> {
    return this.heartbeat(namespace, name, body, request);
  }

  @Patch(HEARTBEAT)
  @HttpCode(200)
  @ApiExcludeEndpoint()
  heartbeatPatch(@Param('namespace') namespace: string, @Param('name') name: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<HeartbeatAnswer> {
    return this.heartbeat(namespace, name, body, request);
  }
}
