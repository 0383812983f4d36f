import { Controller, Delete, Get, Headers, Param, Patch, Post, Put, Query, Inject } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { parseIncludeObject, Table } from '../discovery/table';
import { wantsTable } from '../discovery/media-types';
import { Query as QueryParams } from '../resources/request-options';
import { Namespace, NamespaceList, namespaceWriteRefused } from './namespace-object';
import { namespaceTable } from './namespace-table';
import { RefusedWrite } from './refused-writes';
import { NamespacesService } from './namespaces.service';

const nameParam = ApiParam({ name: 'name', example: 'bookinfo', description: 'Any DNS-1123 label names a namespace.' });

/** Read-only core v1 Namespaces, for kubectl (which looks a namespace up when a get in it finds nothing). */
@ApiTags('kubectl')
@Controller('api/v1/namespaces')
export class NamespacesController {
  constructor(@Inject(NamespacesService) private readonly namespaces: NamespacesService) {}

  @Get()
  @ApiOperation({ operationId: 'listCoreV1Namespace', summary: 'List the namespaces that hold objects (NamespaceList, or a Table for kubectl get ns)' })
  async listNamespaces(@Query() query: QueryParams, @Headers('accept') accept: string | undefined): Promise<NamespaceList | Table> {
    const list = await this.namespaces.list(query);
    if (!wantsTable(accept)) return list;
    return namespaceTable(list.items, list.metadata.resourceVersion, parseIncludeObject(query.includeObject), new Date());
  }

  @Get(':name')
  @nameParam
  @ApiOperation({ operationId: 'readCoreV1Namespace', summary: 'Read a namespace: every valid name exists and is Active' })
  async getNamespace(@Param('name') name: string, @Query() query: QueryParams, @Headers('accept') accept: string | undefined): Promise<Namespace | Table> {
    const namespace = await this.namespaces.get(name);
    return wantsTable(accept) ? namespaceTable([namespace], undefined, parseIncludeObject(query.includeObject), new Date()) : namespace;
  }

  // Never reached: refuseWritesEarly answers these routes first (see refused-writes.ts).
  @Post()
  @RefusedWrite('create', 'createCoreV1Namespace')
  createNamespace(): never {
    throw namespaceWriteRefused('create');
  }

  @Delete()
  @RefusedWrite('deletecollection', 'deleteCoreV1CollectionNamespace')
  deleteNamespaces(): never {
    throw namespaceWriteRefused('deletecollection');
  }

  @Put(':name')
  @nameParam
  @RefusedWrite('update', 'replaceCoreV1Namespace')
  replaceNamespace(): never {
    throw namespaceWriteRefused('update');
  }

  @Patch(':name')
  @nameParam
  @RefusedWrite('patch', 'patchCoreV1Namespace')
  patchNamespace(): never {
    throw namespaceWriteRefused('patch');
  }

  @Delete(':name')
  @nameParam
  @RefusedWrite('delete', 'deleteCoreV1Namespace')
  deleteNamespace(): never {
    throw namespaceWriteRefused('delete');
  }
}
