#define G_LOG_DOMAIN "sextant-workspace"
#define _GNU_SOURCE /* syscall (SYS_gettid) */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "base/sextant-data-dirs.h"
#include "workspace/sextant-retention.h"
#include "market/sextant-portfolio-store.h"
#include "workspace/sextant-schema.h"
#include "workspace/sextant-workspace.h"

/* What every window and command shares: the database, the keyring and the data sets in use.
 * Owned by the application (or the CLI's main), handed to each window. */
/* How often open windows look for portfolios changed by another process (sextant-cli). */
#define PORTFOLIO_CHECK_SECONDS 1

struct _SextantWorkspace
{
  GObject             parent_instance;
  SextantStore       *store;
  GError             *store_error;
  SextantSecretStore *secret_store;
  SextantInvocationLog *invocation_log;
  SextantConversationStore *conversations;
  SextantPortfolioStore *portfolios;
  SextantDemoSet     *demo_set;
  SextantEncryptionState encryption;
  guint               n_portfolio_watchers;
  guint               portfolio_check_source;
};

enum { PROP_0, PROP_DEMO_LOADED, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantWorkspace, sextant_workspace, G_TYPE_OBJECT)

static void
sextant_workspace_finalize (GObject *object)
{
  SextantWorkspace *self = (SextantWorkspace *)object;

  g_clear_handle_id (&self->portfolio_check_source, g_source_remove);
  g_clear_object (&self->invocation_log);
  g_clear_object (&self->conversations);
  g_clear_object (&self->portfolios);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_object (&self->secret_store);
  g_clear_object (&self->demo_set);

  G_OBJECT_CLASS (sextant_workspace_parent_class)->finalize (object);
}

static void
sextant_workspace_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SextantWorkspace *self = SEXTANT_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_DEMO_LOADED:
      g_value_set_boolean (value, sextant_workspace_get_demo_loaded (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_workspace_class_init (SextantWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_workspace_finalize;
  object_class->get_property = sextant_workspace_get_property;

  properties [PROP_DEMO_LOADED] =
    g_param_spec_boolean ("demo-loaded", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
demo_loaded_changed_cb (SextantWorkspace *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DEMO_LOADED]);
}

static void
sextant_workspace_init (SextantWorkspace *self)
{
  self->secret_store = sextant_secret_store_new ();
  self->demo_set = sextant_demo_set_new ();
  g_signal_connect_object (self->demo_set, "notify::loaded", G_CALLBACK (demo_loaded_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

SextantWorkspace *
sextant_workspace_new (void)
{
  return g_object_new (SEXTANT_TYPE_WORKSPACE, NULL);
}

/**
 * sextant_workspace_get_demo_set:
 * @self: a workspace
 *
 * Returns: (transfer none): the bundled demo data in memory, loaded or not
 */
SextantDemoSet *
sextant_workspace_get_demo_set (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return self->demo_set;
}

/**
 * sextant_workspace_load_demo:
 * @self: a workspace
 * @error: return location for an error
 *
 * Loads the bundled demo data synchronously (the CLI and tests); windows use the async variant.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_workspace_load_demo (SextantWorkspace  *self,
                             GError           **error)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), FALSE);

  return sextant_demo_set_load (self->demo_set, error);
}

static void
load_demo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!sextant_demo_set_load_finish (SEXTANT_DEMO_SET (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sextant_workspace_load_demo_async (SextantWorkspace    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_workspace_load_demo_async);
  sextant_demo_set_load_async (self->demo_set, cancellable, load_demo_cb, g_steal_pointer (&task));
}

gboolean
sextant_workspace_load_demo_finish (SextantWorkspace  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sextant_workspace_get_demo_loaded (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), FALSE);

  return sextant_demo_set_get_loaded (self->demo_set);
}

/**
 * sextant_workspace_seed_store:
 * @store: the user's database
 * @error: return location for an error
 *
 * Puts in what a first use shows, once in the life of the database: the demo portfolio, so that
 * the chat's "VaR of portfolio Dow Blue Chips (demo)" answers on a fresh install, in the app
 * and the CLI alike. Never again once seeded (a deleted demo stays deleted), and not into a
 * database that already has the user's own portfolios; see
 * sextant_portfolio_store_ensure_demo().
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_workspace_seed_store (SextantStore  *store,
                              GError       **error)
{
  g_autoptr(SextantPortfolioStore) portfolios = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), FALSE);

  portfolios = sextant_portfolio_store_new (store);

  return sextant_portfolio_store_ensure_demo (portfolios, error);
}

/**
 * sextant_workspace_open_store:
 * @self: a workspace
 * @error: return location for the reason the database cannot be used
 *
 * Opens the default database and seeds it on its first use (sextant_workspace_seed_store()).
 * A failure to open is kept (see sextant_workspace_get_store_error()) so that windows can
 * explain it while the rest of the app keeps working without history; a failure to seed
 * leaves the store usable.
 *
 * Returns: %TRUE if the store is usable
 */
gboolean
sextant_workspace_open_store (SextantWorkspace  *self,
                              GError           **error)
{
  g_autoptr(GError) seed_error = NULL;

  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), FALSE);

  if (self->store != NULL)
    return TRUE;

  g_clear_error (&self->store_error);
  {
    g_autofree char *path = sextant_data_dirs_dup_database_path ();
    g_autoptr(GError) restore_error = NULL;
    gboolean restored = FALSE;

    /* A restore chosen in the running app waits for this moment: nothing has the file open. */
    if (!sextant_backup_apply_pending (path, &restored, &restore_error))
      g_warning ("The restore chosen last time was not applied: %s", restore_error->message);
    else if (restored)
      g_message ("Restored the database chosen last time; the one it replaced is kept as %s.before-restore", path);

    /* The migration of a clear history is left to the app, which shows its progress
     * (sextant_workspace_encrypt_async()); until it ends, new rows are sealed already. */
    self->store = sextant_schema_open_unlocked (path, self->secret_store, FALSE, &self->encryption,
                                                &self->store_error);
  }
  /* Nothing clear to seal (a new file): done at once, no dialog to show. */
  if (self->store != NULL && self->encryption == SEXTANT_ENCRYPTION_MIGRATING &&
      sextant_store_encryption_count_clear (self->store, NULL) == 0 &&
      sextant_store_encryption_migrate (self->store, 0, NULL, NULL, NULL, NULL))
    self->encryption = SEXTANT_ENCRYPTION_ENCRYPTED;
  if (self->store == NULL)
    {
      g_warning ("%s", self->store_error->message);
      if (error != NULL)
        *error = g_error_copy (self->store_error);
      return FALSE;
    }
  if (!sextant_workspace_seed_store (self->store, &seed_error))
    g_warning ("The demo portfolio was not seeded: %s", seed_error->message);

  return TRUE;
}

SextantStore *
sextant_workspace_get_store (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return self->store;
}

const GError *
sextant_workspace_get_store_error (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return self->store_error;
}

/**
 * sextant_workspace_get_invocation_log:
 * @self: a workspace
 *
 * The one log of assistant invocations over the workspace's database: the chat records into it
 * and the monitoring page listens to its #SextantInvocationLog::recorded signal, which only
 * works if both hold the same object.
 *
 * Returns: (transfer none) (nullable): the log, or %NULL while the store is not open
 */
SextantInvocationLog *
sextant_workspace_get_invocation_log (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  if (self->invocation_log == NULL && self->store != NULL)
    self->invocation_log = sextant_invocation_log_new (self->store);

  return self->invocation_log;
}

/**
 * sextant_workspace_get_conversations:
 * @self: a workspace
 *
 * The one conversation store over the workspace's database: each chat window's sidebar follows
 * its #SextantConversationStore::changed signal, so a conversation started, renamed or deleted
 * in one window shows in the others.
 *
 * Returns: (transfer none) (nullable): the store, or %NULL while the database is not open
 */
SextantConversationStore *
sextant_workspace_get_conversations (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  if (self->conversations == NULL && self->store != NULL)
    self->conversations = sextant_conversation_store_new (self->store);

  return self->conversations;
}

/**
 * sextant_workspace_get_portfolios:
 * @self: a workspace
 *
 * The one portfolio store over the workspace's database: the portfolio windows and risk
 * dashboards follow its #SextantPortfolioStore::changed signal, so a portfolio created, saved,
 * renamed or deleted in one window shows in the others.
 *
 * Returns: (transfer none) (nullable): the store, or %NULL while the database is not open
 */
SextantPortfolioStore *
sextant_workspace_get_portfolios (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  if (self->portfolios == NULL && self->store != NULL)
    self->portfolios = sextant_portfolio_store_new (self->store);

  return self->portfolios;
}

/**
 * sextant_workspace_check_portfolios:
 * @self: a workspace
 *
 * Looks once for portfolios another process (sextant-cli) changed; the portfolio store's
 * #SextantPortfolioStore::changed signal reports them. One PRAGMA when nothing changed, and
 * nothing at all before the store is open: this never opens it.
 */
void
sextant_workspace_check_portfolios (SextantWorkspace *self)
{
  SextantPortfolioStore *portfolios;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));

  if (self->store == NULL || (portfolios = sextant_workspace_get_portfolios (self)) == NULL)
    return;
  if (!sextant_portfolio_store_check_changes (portfolios, &error))
    g_debug ("Cannot look for changed portfolios: %s", error->message);
}

static gboolean
check_portfolios_cb (gpointer user_data)
{
  sextant_workspace_check_portfolios (user_data);

  return G_SOURCE_CONTINUE;
}

/**
 * sextant_workspace_hold_portfolio_watch:
 * @self: a workspace
 *
 * Has the workspace look for portfolios changed elsewhere every second until as many
 * sextant_workspace_release_portfolio_watch() calls: one timer for all the windows open.
 */
void
sextant_workspace_hold_portfolio_watch (SextantWorkspace *self)
{
  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));

  if (self->n_portfolio_watchers++ == 0)
    {
      sextant_workspace_check_portfolios (self);
      self->portfolio_check_source = g_timeout_add_seconds (PORTFOLIO_CHECK_SECONDS, check_portfolios_cb, self);
    }
}

void
sextant_workspace_release_portfolio_watch (SextantWorkspace *self)
{
  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (self->n_portfolio_watchers > 0);

  if (--self->n_portfolio_watchers == 0)
    g_clear_handle_id (&self->portfolio_check_source, g_source_remove);
}

SextantSecretStore *
sextant_workspace_get_secret_store (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return self->secret_store;
}

SextantPriceSeries *
sextant_workspace_get_index (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return sextant_demo_set_get_index (self->demo_set);
}

SextantPriceTable *
sextant_workspace_get_stocks (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return sextant_demo_set_get_stocks (self->demo_set);
}

SextantPortfolio *
sextant_workspace_get_portfolio (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), NULL);

  return sextant_demo_set_get_portfolio (self->demo_set);
}

/**
 * sextant_workspace_get_encryption_state:
 * @self: a workspace whose store is open
 *
 * Returns: whether the history is encrypted, being encrypted, or read-only for want of its key
 */
SextantEncryptionState
sextant_workspace_get_encryption_state (SextantWorkspace *self)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (self), SEXTANT_ENCRYPTION_CLEAR);

  return self->encryption;
}

typedef struct
{
  SextantEncryptionProgress progress;
  gpointer                  progress_data;
  GMainContext             *context;
} EncryptJob;

typedef struct
{
  EncryptJob *job;
  gint64      done;
  gint64      total;
} EncryptProgress;

static gboolean
report_progress_cb (gpointer data)
{
  EncryptProgress *report = data;

  report->job->progress (report->done, report->total, report->job->progress_data);

  return G_SOURCE_REMOVE;
}

static void
progress_in_thread_cb (gint64   done,
                       gint64   total,
                       gpointer user_data)
{
  EncryptJob *job = user_data;
  EncryptProgress *report;

  if (job->progress == NULL)
    return;
  report = g_new (EncryptProgress, 1);
  *report = (EncryptProgress) { job, done, total };
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, report_progress_cb, report, g_free);
}

static void
encrypt_job_free (EncryptJob *job)
{
  g_main_context_unref (job->context);
  g_free (job);
}


/* A worker thread's own connection to a file store; an in-memory store has only the one. */
static SextantStore *
open_worker_connection (SextantWorkspace  *self,
                        GError           **error)
{
  if (sextant_store_is_file (self->store))
    return sextant_store_open_connection (self->store, error);

  return g_object_ref (self->store);
}

static void
encrypt_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SextantWorkspace *self = source_object;
  g_autoptr(SextantStore) connection = NULL;
  GError *error = NULL;

  /* A connection of its own: the main loop keeps reading through the workspace's. */
  connection = open_worker_connection (self, &error);
  if (connection == NULL ||
      !sextant_store_encryption_migrate (connection, 0, progress_in_thread_cb, task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sextant_workspace_encrypt_async:
 * @self: a workspace whose history is %SEXTANT_ENCRYPTION_MIGRATING
 * @progress: (nullable): called on the caller's main context as batches are sealed
 * @progress_data: data for @progress, alive until @callback
 * @cancellable: (nullable): stops between batches (what is sealed stays sealed)
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Seals the clear rows of the history in a thread (sextant_store_encryption_migrate()).
 */
void
sextant_workspace_encrypt_async (SextantWorkspace          *self,
                                 SextantEncryptionProgress  progress,
                                 gpointer                   progress_data,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  EncryptJob *job;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (self->store != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_workspace_encrypt_async);
  job = g_new0 (EncryptJob, 1);
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, job, (GDestroyNotify) encrypt_job_free);
  g_task_run_in_thread (task, encrypt_in_thread);
}

gboolean
sextant_workspace_encrypt_finish (SextantWorkspace  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  self->encryption = SEXTANT_ENCRYPTION_ENCRYPTED;

  return TRUE;
}

typedef struct
{
  SextantRetention       retention;
  SextantRetentionReport report;
} RetentionJob;

static void
retention_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SextantWorkspace *self = source_object;
  RetentionJob *job = task_data;
  g_autoptr(SextantStore) connection = NULL;
  g_autoptr(SextantConversationStore) conversations = NULL;
  g_autofree char *logs = sextant_data_dirs_dup_state ();
  GError *error = NULL;

  connection = open_worker_connection (self, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  conversations = sextant_conversation_store_new (connection);
  if (!sextant_retention_apply (conversations, &job->retention, logs, g_get_real_time (), &job->report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sextant_workspace_apply_retention_async:
 * @self: a workspace whose store is open
 * @retention: the periods (copied)
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Expires what is older than its period (sextant_retention_apply()) in a thread, on a connection
 * of its own; the conversation list hears of removed conversations when it is done.
 */
void
sextant_workspace_apply_retention_async (SextantWorkspace       *self,
                                         const SextantRetention *retention,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  RetentionJob *job;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (self->store != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sextant_workspace_apply_retention_async);
  job = g_new0 (RetentionJob, 1);
  job->retention = *retention;
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, retention_in_thread);
}

/**
 * sextant_workspace_apply_retention_finish:
 * @self: a workspace
 * @result: the result
 * @report: (out caller-allocates) (optional): what was removed
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_workspace_apply_retention_finish (SextantWorkspace        *self,
                                          GAsyncResult            *result,
                                          SextantRetentionReport  *report,
                                          GError                 **error)
{
  RetentionJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = job->report;
  if (job->report.conversations > 0 && self->conversations != NULL)
    sextant_conversation_store_emit_changed (self->conversations, 0);

  return TRUE;
}

typedef struct
{
  char            *path;        /* the backup to write or to restore from */
  char            *folder;      /* a scheduled backup's folder, or NULL */
  guint            keep;
  char            *passphrase;
  SextantStoreKey *key;
  GDateTime       *now;
  JsonNode        *manifest;
  char            *written;
  guint            n_removed;
} BackupJob;

static void
backup_job_free (BackupJob *job)
{
  g_free (job->path);
  g_free (job->folder);
  if (job->passphrase != NULL)
    memset (job->passphrase, 0, strlen (job->passphrase));
  g_free (job->passphrase);
  g_clear_object (&job->key);
  g_clear_pointer (&job->now, g_date_time_unref);
  g_clear_pointer (&job->manifest, json_node_unref);
  g_free (job->written);
  g_free (job);
}

static void
backup_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SextantWorkspace *self = source_object;
  BackupJob *job = task_data;
  g_autoptr(SextantStore) connection = NULL;
  GError *error = NULL;
  gboolean ok;

  /* A connection of its own: the online backup reads one snapshot while the main loop goes on
   * reading and writing through the workspace's. */
  connection = open_worker_connection (self, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->folder != NULL)
    ok = sextant_backup_schedule_run (connection, job->key, job->folder, job->keep, job->now, &job->written,
                                      &job->n_removed, &error);
  else
    ok = sextant_backup_write (connection, job->path, job->key, job->passphrase, &job->manifest, &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A backup compresses, hashes and seals the whole database, seconds to minutes of CPU: on two
 * cores shared with the display server the window's frames waited for it (bench-backup-stream).
 * Nobody waits for a backup, so its thread yields to the others; a thread of its own, since a
 * pool thread would keep the lower priority for other work. */
static gpointer
backup_thread_main (gpointer data)
{
  g_autoptr(GTask) task = data;

#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Could not lower the backup thread's priority: %s", g_strerror (errno));
#endif
  backup_in_thread (task, g_task_get_source_object (task), g_task_get_task_data (task), NULL);

  return NULL;
}

static void
run_backup_thread (GTask *task)
{
  g_thread_unref (g_thread_new ("sextant-backup", backup_thread_main, g_object_ref (task)));
}

static void
restore_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SextantWorkspace *self = source_object;
  BackupJob *job = task_data;
  GError *error = NULL;

  if (!sextant_backup_stage_restore (job->path, sextant_store_get_path (self->store), job->key, job->passphrase,
                                     &job->manifest, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GTask *
backup_task_new (SextantWorkspace    *self,
                 gpointer             source_tag,
                 const char          *passphrase,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 BackupJob          **job)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  SextantStoreKey *key = self->store != NULL ? sextant_store_get_key (self->store) : NULL;

  g_task_set_source_tag (task, source_tag);
  *job = g_new0 (BackupJob, 1);
  (*job)->passphrase = g_strdup (passphrase);
  (*job)->key = key != NULL ? g_object_ref (key) : NULL;
  g_task_set_task_data (task, *job, (GDestroyNotify) backup_job_free);

  return task;
}

static gboolean
backup_check_store (SextantWorkspace  *self,
                    GTask             *task,
                    BackupJob         *job)
{
  if (self->store == NULL || !sextant_store_is_file (self->store))
    {
      g_task_return_new_error (task, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                               _("The history database is not open, so there is nothing to back up or restore into"));
      return FALSE;
    }
  if (job->key == NULL && job->passphrase == NULL)
    {
      g_task_return_new_error (task, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                               _("The history key is not in the keyring, so the backup cannot be sealed with it"));
      return FALSE;
    }

  return TRUE;
}

/**
 * sextant_workspace_backup_async:
 * @self: a workspace
 * @path: the backup file to write
 * @passphrase: (nullable): seal with it instead of the history key
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Writes a backup (sextant_backup_write()) in a thread, on a connection of its own, while the
 * app goes on using the database.
 */
void
sextant_workspace_backup_async (SextantWorkspace    *self,
                                const char          *path,
                                const char          *passphrase,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BackupJob *job;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (path != NULL);

  task = backup_task_new (self, sextant_workspace_backup_async, passphrase, callback, user_data, &job);
  job->path = g_strdup (path);
  if (backup_check_store (self, task, job))
    run_backup_thread (task);
}

/**
 * sextant_workspace_backup_finish:
 * @self: a workspace
 * @result: the result
 * @manifest: (out) (optional) (transfer full): the backup's manifest
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_workspace_backup_finish (SextantWorkspace  *self,
                                 GAsyncResult      *result,
                                 JsonNode         **manifest,
                                 GError           **error)
{
  BackupJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (manifest != NULL)
    *manifest = g_steal_pointer (&job->manifest);

  return TRUE;
}

/**
 * sextant_workspace_scheduled_backup_async:
 * @self: a workspace
 * @folder: the folder of scheduled backups
 * @keep: how many to keep
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs one scheduled backup (sextant_backup_schedule_run(): sealed with the history key, old
 * ones pruned) in a thread.
 */
void
sextant_workspace_scheduled_backup_async (SextantWorkspace    *self,
                                          const char          *folder,
                                          guint                keep,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BackupJob *job;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (folder != NULL);

  task = backup_task_new (self, sextant_workspace_scheduled_backup_async, NULL, callback, user_data, &job);
  job->folder = g_strdup (folder);
  job->keep = keep;
  job->now = g_date_time_new_now_utc ();
  if (backup_check_store (self, task, job))
    run_backup_thread (task);
}

/**
 * sextant_workspace_scheduled_backup_finish:
 * @self: a workspace
 * @result: the result
 * @written: (out) (optional) (transfer full): the new backup's path
 * @n_removed: (out) (optional): how many old backups were removed
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_workspace_scheduled_backup_finish (SextantWorkspace  *self,
                                           GAsyncResult      *result,
                                           char             **written,
                                           guint             *n_removed,
                                           GError           **error)
{
  BackupJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (written != NULL)
    *written = g_steal_pointer (&job->written);
  if (n_removed != NULL)
    *n_removed = job->n_removed;

  return TRUE;
}

/**
 * sextant_workspace_restore_async:
 * @self: a workspace
 * @path: the backup
 * @passphrase: (nullable): its passphrase, if it is sealed with one
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks and unpacks a backup in a thread to be swapped in at the next start
 * (sextant_backup_stage_restore()); the database in use is not touched.
 */
void
sextant_workspace_restore_async (SextantWorkspace    *self,
                                 const char          *path,
                                 const char          *passphrase,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BackupJob *job;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (path != NULL);

  task = backup_task_new (self, sextant_workspace_restore_async, passphrase, callback, user_data, &job);
  job->path = g_strdup (path);
  if (self->store == NULL || !sextant_store_is_file (self->store))
    g_task_return_new_error (task, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                             _("The history database is not open, so there is nothing to back up or restore into"));
  else
    g_task_run_in_thread (task, restore_in_thread);
}

/**
 * sextant_workspace_restore_finish:
 * @self: a workspace
 * @result: the result
 * @manifest: (out) (optional) (transfer full): the backup's manifest
 * @error: return location
 *
 * Returns: %TRUE once the restore waits for the next start
 */
gboolean
sextant_workspace_restore_finish (SextantWorkspace  *self,
                                  GAsyncResult      *result,
                                  JsonNode         **manifest,
                                  GError           **error)
{
  return sextant_workspace_backup_finish (self, result, manifest, error);
}

typedef struct
{
  char                *path;
  JsonNode            *settings;
  SextantExportCounts  counts;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->settings, json_node_unref);
  g_free (job);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SextantWorkspace *self = source_object;
  ExportJob *job = task_data;
  g_autoptr(SextantStore) connection = NULL;
  GError *error = NULL;

  connection = open_worker_connection (self, &error);
  if (connection == NULL || !sextant_export_write (connection, job->settings, job->path, &job->counts, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sextant_workspace_export_async:
 * @self: a workspace
 * @path: the archive to write (`.tar.gz`)
 * @settings: (nullable): the preferences (sextant_export_settings_to_json())
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Exports everything in open formats (sextant_export_write()) in a thread, on a connection of
 * its own.
 */
void
sextant_workspace_export_async (SextantWorkspace    *self,
                                const char          *path,
                                JsonNode            *settings,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (SEXTANT_IS_WORKSPACE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sextant_workspace_export_async);
  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->settings = settings != NULL ? json_node_ref (settings) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  if (self->store == NULL)
    g_task_return_new_error (task, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_OPEN,
                             _("The history database is not open, so there is nothing to export"));
  else
    g_task_run_in_thread (task, export_in_thread);
}

/**
 * sextant_workspace_export_finish:
 * @self: a workspace
 * @result: the result
 * @counts: (out caller-allocates) (optional): what was written
 * @error: return location
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_workspace_export_finish (SextantWorkspace     *self,
                                 GAsyncResult         *result,
                                 SextantExportCounts  *counts,
                                 GError              **error)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (counts != NULL)
    *counts = job->counts;

  return TRUE;
}
