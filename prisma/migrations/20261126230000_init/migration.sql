-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "resources" (
    "uid" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "resource_version" BIGINT NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 1,
    "creation_timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "spec" JSONB NOT NULL,
    "status" JSONB,
    "hosts" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "resources_pkey" PRIMARY KEY ("uid")
);

-- CreateTable
CREATE TABLE "resource_changes" (
    "resource_version" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_changes_pkey" PRIMARY KEY ("resource_version")
);

-- CreateIndex
CREATE INDEX "resources_labels_idx" ON "resources" USING GIN ("labels");

-- CreateIndex
CREATE INDEX "resources_hosts_idx" ON "resources" USING GIN ("hosts");

-- CreateIndex
CREATE UNIQUE INDEX "resources_kind_namespace_name_key" ON "resources"("kind", "namespace", "name");

-- CreateIndex
CREATE INDEX "resource_changes_created_at_idx" ON "resource_changes"("created_at");

