# syntax=docker/dockerfile:1
# PEFT Lab: multi-stage build on Node 20 slim (the major we test with).

FROM node:20-slim AS build
WORKDIR /app
# onnxruntime-node's postinstall would fetch CUDA files (and fails offline); its CPU engine ships in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
# Keep only onnxruntime-node's linux-x64 binaries (~45 MB of its ~290 MB installed).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
  && rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32 node_modules/onnxruntime-node/bin/napi-v*/linux/arm64
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch does the check.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]
