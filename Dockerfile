# kuril-bot: slim Python, non-root, the index built at image build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KURIL_INDEX=/app/data/kuril.db KURIL_SEEDS=/app/seeds KURIL_STATE=/app/data/state.db
RUN useradd --create-home --uid 10001 kuril
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY commands ./commands
RUN pip install --no-cache-dir . && rm -rf /root/.cache

# the shelf and the data folder are written at run time (/kuril add, index, state): the bot's own
COPY --chown=kuril:kuril seeds ./seeds
RUN kuril-bot ingest && chown -R kuril:kuril /app/data /app/seeds

USER kuril
# healthy = connected to Discord within the last 90 s (the bot touches data/heartbeat every 30 s)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os,sys,time; sys.exit(time.time() - os.path.getmtime('/app/data/heartbeat') > 90)"
CMD ["kuril-bot", "run"]
