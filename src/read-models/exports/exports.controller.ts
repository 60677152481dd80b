import { Controller, Get, Headers, NotFoundException, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../common/http/access';
import { ApiErrorResponses } from '../../common/http/api-docs';
import { datasetNamed, EXPORT_DATASET_NAMES, EXPORT_DATASETS } from './export-datasets';
import { CONTENT_TYPE, EXPORT_FORMATS, ExportFormat, formatRows, negotiateFormat } from './export-format';
import { GetExportQuery } from './exports.query-handlers';
import { toIsoInstant } from '../../shared/instants';

export class ExportQueryDto {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: 'wins over Accept (text/csv → CSV, application/vnd.apache.parquet → Parquet, else NDJSON)',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
  @ApiPropertyOptional({ description: "inclusive start (ISO-8601) on the dataset's period column" })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'exclusive end (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) department?: string;
  @ApiPropertyOptional({ description: 'resume after the row whose cursor column (X-Casetrail-Cursor-Column) held this value' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  after?: string;
  @ApiPropertyOptional({ description: 'at most this many rows' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;
}

export class ExportDatasetDto {
  @ApiProperty({ example: 'disputes' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) columns: string[];
  @ApiProperty({ example: 'dispute_id' }) cursorColumn: string;
  @ApiProperty({ example: 'filed_at' }) periodColumn: string;
}
export class ExportCatalogDto {
  @ApiProperty({ type: [ExportDatasetDto] }) datasets: ExportDatasetDto[];
}

/**
 * Analysts' bulk exports (NDJSON, CSV or Parquet, streamed with backpressure): no customer or order id leaves here, only
 * their pseudonyms (src/privacy). Columns per dataset: docs/analytics.md.
 */
@ApiTags('exports')
@Controller('api/v1/exports')
export class ExportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('analyst', 'auditor', 'manager')
  @ApiOperation({ summary: 'The exportable datasets, their columns, cursor and period columns', operationId: 'listExportDatasets' })
  @ApiOkResponse({ type: ExportCatalogDto })
  catalog(): ExportCatalogDto {
    return {
      datasets: EXPORT_DATASETS.map((d) => ({
        name: d.name,
        description: d.description,
        columns: [...d.columns],
        cursorColumn: d.cursorColumn,
        periodColumn: d.periodColumn,
      })),
    };
  }

  @Get(':dataset')
  @Roles('analyst', 'auditor', 'manager')
  @ApiOperation({
    summary: 'Stream one dataset as NDJSON, CSV or Parquet (period, department, resume cursor, limit)',
    operationId: 'exportDataset',
  })
  @ApiParam({ name: 'dataset', enum: EXPORT_DATASET_NAMES })
  @ApiProduces(CONTENT_TYPE.ndjson, CONTENT_TYPE.csv, CONTENT_TYPE.parquet)
  @ApiOkResponse({
    description: 'one row a line (NDJSON), a header line then rows (CSV), or a Parquet file in row groups (typed columns)',
    schema: { type: 'string' },
    headers: {
      'X-Casetrail-Cursor-Column': {
        description: 'the column whose last value resumes the export (`after`)',
        schema: { type: 'string', example: 'dispute_id' },
      },
      'Content-Disposition': {
        description: 'an attachment named after the dataset and format',
        schema: { type: 'string', example: 'attachment; filename="disputes.ndjson"' },
      },
    },
  })
  @ApiErrorResponses(400, 404)
  async export(
    @Param('dataset') name: string,
    @Query() query: ExportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const dataset = datasetNamed(name);
    if (!dataset) throw new NotFoundException(`dataset: no dataset named "${name}"; one of ${EXPORT_DATASET_NAMES.join(', ')}`);
    const format = negotiateFormat(query.format, accept);
    const filter = {
      from: toIsoInstant(query.from),
      to: toIsoInstant(query.to),
      department: query.department,
      after: query.after,
      limit: query.limit,
    };
    const { rows } = await this.queries.execute(new GetExportQuery(dataset, filter));
    void reply.header('X-Casetrail-Cursor-Column', dataset.cursorColumn);
    return new StreamableFile(formatRows(rows, dataset.columns, format), {
      type: CONTENT_TYPE[format],
      disposition: `attachment; filename="${dataset.name}.${format}"`,
    });
  }
}
