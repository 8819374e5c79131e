# prunner container image: docker build -t prunner . (see README.md, "Install")
#
# Stage 1 compiles the single binary with the project's own Bun (a dev dependency, installed by
# npm ci). It runs on the build machine's platform and cross-compiles for the image's platform,
# so `docker buildx build --platform linux/arm64` needs no emulation.
FROM --platform=$BUILDPLATFORM node:22-bookworm-slim AS build
ARG TARGETARCH=amd64
ARG VERSION=dev
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
RUN target="linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64)" \
 && node_modules/.bin/bun scripts/release/main.ts --binaries-only \
      --version "$VERSION" --targets "$target" --out /out \
 && mv "/out/$target/prunner" /out/prunner

# Stage 2: the binary needs only glibc; bash runs the tasks (prunner falls back to /bin/sh).
# Tasks that need more tools (git, curl, rsync, ...) want an image built FROM this one.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin prunner \
 && mkdir -p /app /data /config \
 && chown prunner:prunner /app /data /config
COPY --from=build /out/prunner /usr/local/bin/prunner

# Pipelines are read from /app (mount a folder there, or COPY pipelines.yml in a derived image).
# The database and task logs live in the /data volume. The secret comes from PRUNNER_JWT_SECRET,
# else from /config/.prunner.yml, which prunner creates on first start if it is missing.
WORKDIR /app
ENV PRUNNER_ADDRESS=:9009 \
    PRUNNER_DATA=/data \
    PRUNNER_CONFIG=/config/.prunner.yml
VOLUME ["/data", "/config"]
EXPOSE 9009
USER prunner

# SIGINT is prunner's graceful stop: running jobs finish first. Docker kills the container after
# its stop timeout (10 s by default), so raise `--stop-timeout` to the longest job, or pass
# `--stop-signal SIGTERM` to cancel running jobs and stop within about 2 s.
STOPSIGNAL SIGINT
ENTRYPOINT ["prunner"]
