# Production image: one build, any role (`--role=api|worker|all`), external PostgreSQL via DATABASE_URL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY packages/engine/package.json packages/engine/
COPY apps/server/package.json apps/server/
COPY apps/cli/package.json apps/cli/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build --if-present

FROM node:20-bookworm-slim
ENV PORT=2000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app /app
RUN useradd --system --home /data recon && mkdir -p /data && chown recon /data
USER recon
EXPOSE 2000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tsx forwards SIGTERM to the server; npm and npx do not, which would skip the graceful shutdown.
ENTRYPOINT ["node_modules/.bin/tsx", "apps/server/src/main.ts"]
CMD ["--role=all"]
