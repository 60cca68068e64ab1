"""Scheduled backups of the embedded data dir (``ECE_BACKUP_INTERVAL_HOURS``; PostgreSQL
deployments schedule pgBackRest instead)."""

from __future__ import annotations

import asyncio
import time

import structlog

from ece.backup import service
from ece.runtime.jobs import job
from ece.runtime.services import Services

log = structlog.get_logger("ece.backup.jobs")


@job("backup", every=600)
async def scheduled_backup(services: Services) -> bool:
    """Archive the data dir when the newest archive is older than the interval; keep the last
    ``ECE_BACKUP_KEEP``. Whether an archive was made."""
    settings = services.settings
    if settings.backup_interval_hours == 0 or not services.db.is_sqlite:
        return False
    folder = settings.data_dir / service.BACKUPS_DIR
    archives = service.archives(folder)
    if (
        archives
        and time.time() - archives[-1].stat().st_mtime < settings.backup_interval_hours * 3600
    ):
        return False
    report = await asyncio.to_thread(service.create, settings.data_dir)
    for old in service.archives(folder)[: -settings.backup_keep]:
        old.unlink()
    log.info("backup_created", archive=str(report.archive), seconds=round(report.seconds, 2))
    return True
