# syntax=docker/dockerfile:1
#
# One image for all four components; the first argument picks one:
#   gateway [--config FILE] | customers | invoices | invoices-service
# Build:  docker build -t affordance-gateway:dev .
# Run:    docker run --rm -e HOST=0.0.0.0 -p 4001:4001 affordance-gateway:dev customers
# Node flags (V8 heap sizes) are per component, not in this image: the gateway's are in
# NODE_OPTIONS in k8s/base/gateway.yaml (the benchmark reads them from there). Outside
# Kubernetes pass the same: docker run -e NODE_OPTIONS="<that value>" ... gateway

# ---- build: compile TypeScript to dist/ ------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The demo subgraphs are an npm workspace: npm ci needs their package.json too.
COPY package.json package-lock.json ./
COPY subgraphs/package.json ./subgraphs/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY protos ./protos
COPY src ./src
COPY subgraphs ./subgraphs
# The invoices proto is read at runtime from ../../protos relative to
# dist/subgraphs/invoices-service/proto.js, i.e. from dist/protos/. (npm run build
# copies it too; the explicit copy keeps the image right if that ever changes.) The build
# also bundles the console's browser script (esbuild, a dev dependency) into
# dist/src/delivery/console/console.bundle.js, which the runtime serves as built.
RUN npm run build && mkdir -p dist/protos && cp protos/*.proto dist/protos/

# ---- deps: production dependencies only -------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY subgraphs/package.json ./subgraphs/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime: node + production deps + dist, no build tools, non-root -------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# package.json carries "type": "module", which makes dist/**/*.js ES modules (dist/subgraphs/
# too: it has no package.json of its own there). The subgraphs run from dist/subgraphs/main.js,
# started by dist/src/cli/main.js; node_modules' link to the workspace is not needed.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# uid/gid 1000 is the image's "node" user; numeric so that Kubernetes can
# verify runAsNonRoot without reading /etc/passwd.
USER 1000:1000
EXPOSE 4000 4001 4002 50051
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
