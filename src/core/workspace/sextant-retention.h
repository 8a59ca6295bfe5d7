#pragma once

#include "agent/sextant-conversation-store.h"
#include "base/sextant-store.h"

G_BEGIN_DECLS

/**
 * SextantRetention:
 * @conversations_days: conversations untouched for longer go (pinned ones stay); 0 keeps them
 * @metrics_days: assistant invocation records older than this go; 0 keeps them
 * @raw_days: raw provider responses of the data lake older than this go; 0 keeps them
 * @logs_days: rotated log files older than this go; 0 keeps them
 *
 * How long each kind of record is kept (Preferences → Privacy).
 */
typedef struct
{
  guint conversations_days;
  guint metrics_days;
  guint raw_days;
  guint logs_days;
} SextantRetention;

/**
 * SextantRetentionReport:
 * @conversations: conversations removed
 * @metrics: invocation records removed
 * @raw_responses: raw responses removed
 * @log_files: log files removed
 * @pages_freed: database pages given back to the file system
 */
typedef struct
{
  gint64 conversations;
  gint64 metrics;
  gint64 raw_responses;
  gint64 log_files;
  gint64 pages_freed;
} SextantRetentionReport;

gboolean sextant_retention_apply (SextantConversationStore *conversations,
                                  const SextantRetention   *retention,
                                  const char               *log_directory,
                                  gint64                    now,
                                  SextantRetentionReport   *report,
                                  GError                  **error);

G_END_DECLS
