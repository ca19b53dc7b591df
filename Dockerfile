# newsclean: the scheduler (default) or any one-off command.
#
#   docker build -t newsclean .
#   docker run -d -v "$PWD/config:/app/config:ro" -v "$PWD/output:/app/output" -p 127.0.0.1:9464:9464 newsclean
#   docker run --rm -v "$PWD/config:/app/config:ro" -v "$PWD/output:/app/output" newsclean crawl --site NAME
#
# Plain Dockerfile syntax (no BuildKit-only features), so docker-compose 1.x's
# builder can build it too.

# ---------------------------------------------------------------- build
FROM node:20-bookworm-slim AS build
# better-sqlite3 is native: `npm ci` downloads a prebuilt binary when one
# exists for this Node and platform, and otherwise compiles it with node-gyp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, in a layer of their own that source edits do not rebuild.
# --ignore-scripts skips `prepare` (it builds, and src/ is not here yet);
# better-sqlite3 is the only dependency with an install script: run it.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY src ./src
# The build's last step packs the language detector's database into dist/.
COPY scripts/pack-language-model.mjs ./scripts/
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
           build/Release/sqlite3.a build/Release/test_extension.node

# ---------------------------------------------------------------- runtime
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# What dist/ reads at run time: package.json (version), config/rules and
# config/sites (bundled rules), dist/workers (clean threads). Owned by root,
# read-only for the `node` user; only output/ is writable.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
RUN mkdir -p /app/output && chown node:node /app/output
USER node
# /metrics, /healthz, /livez of `newsclean schedule`.
EXPOSE 9464
# Readiness of the scheduler (503 while starting or shutting down). No curl in
# the slim image: Node's fetch. Checks the default port 9464.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# newsclean stops gracefully on SIGTERM (run.graceMs, default 30 s): give it
# longer than that (docker stop -t 45, compose stop_grace_period: 45s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["schedule", "--config", "config/sources.yaml", "--status-host", "0.0.0.0"]
