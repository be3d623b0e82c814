# gitcrew/claude:latest for machines that reach a container registry.
# Build: gitcrew images build claude   (context: templates/docker)
# Offline machines: gitcrew images build claude --offline
FROM node:24-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && userdel -r node && groupadd -g 1000 agent && useradd -u 1000 -g 1000 -m -d /home/agent -s /bin/bash agent \
 && mkdir -p /workspace /gitcrew && chown agent:agent /workspace
RUN npm install -g --no-audit --no-fund @anthropic-ai/claude-code && claude --version
COPY bin/gitcrew-channel.mjs /usr/local/lib/gitcrew/gitcrew-channel.mjs
COPY bin/gitcrew-status bin/gitcrew-return bin/gitcrew-request-approval /usr/local/bin/
ENV HOME=/home/agent LANG=C.UTF-8
LABEL gitcrew.runtime=claude
USER 1000:1000
WORKDIR /workspace
