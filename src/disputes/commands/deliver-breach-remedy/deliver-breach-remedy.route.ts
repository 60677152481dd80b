import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Roles } from '../../../common/http/access';
import { Actor } from '../../../shared/actor';
import { ApiCommand } from '../../../common/http/api-docs';
import { DisputeViewDto } from '../../http/dispute-view.dto';
import { DisputeWriter, RequestHeaders, rolesOf } from '../dispute-writer';
import { DeliverBreachRemedyDto } from './deliver-breach-remedy.dto';

/** Issue 14: a coupon or service upgrade a confirmed breach owes, handed over to the customer. */
@ApiTags('disputes')
@Controller('api/v1/disputes')
export class DeliverBreachRemedyRoute {
  constructor(private readonly writer: DisputeWriter) {}

  @ApiCommand({
    summary: 'Deliver a coupon or service upgrade a confirmed breach owes',
    operationId: 'deliverBreachRemedy',
    type: DisputeViewDto,
    notFound: true,
  })
  @Post(':id/remedies/:remedyId/deliver')
  @HttpCode(200)
  @Roles(...rolesOf('DeliverBreachRemedy'))
  deliver(
    @Param('id') id: string,
    @Param('remedyId') remedyId: string,
    @Body() body: DeliverBreachRemedyDto,
    @CurrentActor() actor: Actor,
    @Headers() h: RequestHeaders,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.writer.dispatch(
      'DeliverBreachRemedy',
      id,
      { remedyId, ...(body.reference ? { reference: body.reference } : {}) },
      actor,
      h,
      r,
    );
  }
}
