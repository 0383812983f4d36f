-- Bearer tokens: only the SHA-256 of each secret is stored. Every replica keeps them all in memory.
-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "subject" TEXT NOT NULL,
    "role" TEXT,
    "rules" JSONB NOT NULL,
    "registration" JSONB,
    "description" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

