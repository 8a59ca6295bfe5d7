#define G_LOG_DOMAIN "sextant-backup-schedule"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "workspace/sextant-backup.h"
#include "workspace/sextant-backup-schedule.h"

/* Scheduled backups (issue 19): once a day a backup goes into the folder the user picked, named
 * by its time in UTC so that names sort as times do, and only the newest N are kept. Only files
 * named as this code names them are ever removed: the folder may hold the user's own files. */

#define NAME_PREFIX "sextant-backup-"
#define NAME_SUFFIX ".sxtbak"
/* "sextant-backup-" "20261207-174400" ".sxtbak" */
#define STAMP_LENGTH 15

/**
 * sextant_backup_schedule_file_name:
 * @when: the time of the backup
 *
 * Returns: (transfer full): the file name of a scheduled backup made at @when, such as
 *   `sextant-backup-20261207-174400.sxtbak` (UTC)
 */
char *
sextant_backup_schedule_file_name (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stamp = NULL;

  g_return_val_if_fail (when != NULL, NULL);

  utc = g_date_time_to_utc (when);
  stamp = g_date_time_format (utc, "%Y%m%d-%H%M%S");

  return g_strconcat (NAME_PREFIX, stamp, NAME_SUFFIX, NULL);
}

/**
 * sextant_backup_schedule_is_due:
 * @last_run: seconds since 1970 of the last scheduled backup, 0 for never
 * @now: seconds since 1970
 * @interval: seconds between backups
 *
 * A clock set back before the last run makes a backup due too: otherwise none would be made
 * until the clock caught up again, possibly for days.
 *
 * Returns: whether a scheduled backup is due
 */
gboolean
sextant_backup_schedule_is_due (gint64 last_run,
                                gint64 now,
                                gint64 interval)
{
  if (last_run <= 0 || now < last_run)
    return TRUE;

  return now - last_run >= interval;
}

static gboolean
is_backup_name (const char *name)
{
  gsize len = strlen (name);

  if (len != strlen (NAME_PREFIX) + STAMP_LENGTH + strlen (NAME_SUFFIX) || !g_str_has_prefix (name, NAME_PREFIX) ||
      !g_str_has_suffix (name, NAME_SUFFIX))
    return FALSE;
  for (gsize i = 0; i < STAMP_LENGTH; i++)
    {
      char c = name[strlen (NAME_PREFIX) + i];

      if (i == 8 ? c != '-' : !g_ascii_isdigit (c))
        return FALSE;
    }

  return TRUE;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  return -strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sextant_backup_schedule_list:
 * @folder: the folder of scheduled backups
 * @error: return location
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the file names of the scheduled
 *   backups in @folder, newest first; %NULL if the folder cannot be read
 */
GPtrArray *
sextant_backup_schedule_list (const char  *folder,
                              GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  g_return_val_if_fail (folder != NULL, NULL);

  if ((dir = g_dir_open (folder, 0, error)) == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_backup_name (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_newest_first);

  return g_steal_pointer (&names);
}

/**
 * sextant_backup_schedule_prune:
 * @folder: the folder of scheduled backups
 * @keep: how many to keep (at least 1)
 * @n_removed: (out) (optional): how many were removed
 * @error: return location
 *
 * Removes the scheduled backups of @folder beyond the newest @keep. Other files are left alone.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_backup_schedule_prune (const char  *folder,
                               guint        keep,
                               guint       *n_removed,
                               GError     **error)
{
  g_autoptr(GPtrArray) names = NULL;
  guint removed = 0;

  g_return_val_if_fail (folder != NULL, FALSE);

  keep = MAX (keep, 1);
  if ((names = sextant_backup_schedule_list (folder, error)) == NULL)
    return FALSE;
  for (guint i = keep; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      if (g_unlink (path) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("Cannot remove the old backup %s: %s"),
                       path, g_strerror (saved));
          return FALSE;
        }
      removed++;
    }
  if (n_removed != NULL)
    *n_removed = removed;

  return TRUE;
}

/**
 * sextant_backup_schedule_run:
 * @store: the live database (a connection the caller's thread may use)
 * @key: the history key the backup is sealed with
 * @folder: the folder of scheduled backups (made if missing, 0700)
 * @keep: how many backups to keep
 * @now: the time of the backup, which names it
 * @written: (out) (optional) (transfer full): the path of the new backup
 * @n_removed: (out) (optional): how many old backups were removed
 * @error: return location
 *
 * Writes one scheduled backup (sextant_backup_write()) and then prunes the folder to @keep. A
 * failed backup removes nothing: the old ones may be the only good ones.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_backup_schedule_run (SextantStore     *store,
                             SextantStoreKey  *key,
                             const char       *folder,
                             guint             keep,
                             GDateTime        *now,
                             char            **written,
                             guint            *n_removed,
                             GError          **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (SEXTANT_IS_STORE (store), FALSE);
  g_return_val_if_fail (folder != NULL && now != NULL, FALSE);

  if (key == NULL)
    {
      g_set_error (error, SEXTANT_STORE_ERROR, SEXTANT_STORE_ERROR_NO_KEY,
                   _("Scheduled backups are sealed with the history key, which is not in the keyring"));
      return FALSE;
    }
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("Cannot make the backup folder %s: %s"),
                   folder, g_strerror (saved));
      return FALSE;
    }
  name = sextant_backup_schedule_file_name (now);
  path = g_build_filename (folder, name, NULL);
  /* Two runs within a second would name the same file: the one already there is as new. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !sextant_backup_write (store, path, key, NULL, NULL, error))
    return FALSE;
  if (!sextant_backup_schedule_prune (folder, keep, n_removed, error))
    return FALSE;
  if (written != NULL)
    *written = g_steal_pointer (&path);

  return TRUE;
}
