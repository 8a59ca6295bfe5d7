#define G_LOG_DOMAIN "sextant-log-writer"
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC, fchmod (), fdopen () */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/sextant-data-dirs.h"
#include "base/sextant-log-writer.h"

#define DEFAULT_MAX_BYTES (5 * 1024 * 1024)
#define DEFAULT_N_FILES   3

/* GLib's structured log writer is process-wide, so this module is too: one file, one lock. */
static GMutex log_lock;
static char *log_path;
static FILE *log_file;
static gsize log_size;
static gsize log_max_bytes;
static guint log_n_files;
static GPtrArray *secrets;
static GRegex *access_key_regex;
static gsize writer_installed;

/* A secret travels in other spellings too: percent-encoded in a URL or a form (either case of
 * hex digit), and JSON-escaped with `\/` for `/`. Each spelling is redacted as the raw value is. */
static char *
percent_encode (const char *text,
                gboolean    lower)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-_.~", *p) != NULL)
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, lower ? "%%%02x" : "%%%02X", (guchar) *p);
    }

  return g_string_free (out, FALSE);
}

static char *
json_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
add_secret_locked (char *spelling)
{
  if (g_ptr_array_find_with_equal_func (secrets, spelling, g_str_equal, NULL))
    g_free (spelling);
  else
    g_ptr_array_add (secrets, spelling);
}

/**
 * sextant_log_writer_register_secret:
 * @secret: a value that must never reach a log
 *
 * Secrets are kept out of messages by design; this is the safety net behind that. Every value
 * read from or saved to the keyring is registered, and any message that contains one, raw,
 * percent-encoded or JSON-escaped, has it replaced before it is written anywhere.
 */
void
sextant_log_writer_register_secret (const char *secret)
{
  if (secret == NULL || strlen (secret) < 4)
    return;

  g_mutex_lock (&log_lock);
  if (secrets == NULL)
    secrets = g_ptr_array_new_with_free_func (g_free);
  add_secret_locked (g_strdup (secret));
  add_secret_locked (percent_encode (secret, FALSE));
  add_secret_locked (percent_encode (secret, TRUE));
  add_secret_locked (json_escape (secret));
  g_mutex_unlock (&log_lock);
}

static char *
redact_locked (const char *message)
{
  g_autoptr(GString) text = g_string_new (message);

  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    g_string_replace (text, g_ptr_array_index (secrets, i), "[redacted]", 0);

  /* AWS access key ids have a fixed, recognisable shape; redact any we did not register. */
  if (access_key_regex == NULL)
    access_key_regex = g_regex_new ("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b", G_REGEX_OPTIMIZE, 0, NULL);

  return g_regex_replace_literal (access_key_regex, text->str, -1, 0, "[redacted-key-id]", 0, NULL);
}

/**
 * sextant_log_writer_redact:
 * @message: text about to be shown or written
 *
 * Returns: (transfer full): @message with every registered secret and key id replaced
 */
char *
sextant_log_writer_redact (const char *message)
{
  char *redacted;

  g_return_val_if_fail (message != NULL, NULL);

  g_mutex_lock (&log_lock);
  redacted = redact_locked (message);
  g_mutex_unlock (&log_lock);

  return redacted;
}

/* The log may quote file names, symbols and server replies: it is the user's alone (0600),
 * whatever the umask, as is the folder it lives in. */
static FILE *
open_private_append (const char *path)
{
  int fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  FILE *file;

  if (fd < 0)
    return NULL;
  /* No g_debug () here: the caller holds the log lock. A file that cannot be made private (not
   * ours) is still written; its mode is its owner's choice. */
  fchmod (fd, 0600);
  file = fdopen (fd, "a");
  if (file == NULL)
    g_close (fd, NULL);

  return file;
}

static void
rotate_locked (void)
{
  g_clear_pointer (&log_file, fclose);

  for (guint i = log_n_files - 1; i >= 1; i--)
    {
      g_autofree char *from = i == 1 ? g_strdup (log_path)
                                     : g_strdup_printf ("%s.%u", log_path, i - 1);
      g_autofree char *to = g_strdup_printf ("%s.%u", log_path, i);

      g_rename (from, to);
    }

  log_file = open_private_append (log_path);
  log_size = 0;
}

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "ERROR";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "CRITICAL";
  if (level & G_LOG_LEVEL_WARNING)
    return "WARNING";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "MESSAGE";
  if (level & G_LOG_LEVEL_INFO)
    return "INFO";
  return "DEBUG";
}

static GLogWriterOutput
sextant_log_writer_cb (GLogLevelFlags   level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;
  g_autofree char *redacted = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  gboolean is_debug;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  if (message == NULL)
    return G_LOG_WRITER_UNHANDLED;

  is_debug = (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0;
  if (is_debug && g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  g_mutex_lock (&log_lock);
  redacted = redact_locked (message);
  if (log_file != NULL)
    {
      now = g_date_time_new_now_utc ();
      stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
      log_size += fprintf (log_file, "%s %s %s: %s\n", stamp, level_name (level),
                           domain != NULL ? domain : "sextant", redacted);
      fflush (log_file);
      if (log_size >= log_max_bytes)
        rotate_locked ();
    }
  g_mutex_unlock (&log_lock);

  /* The console gets warnings and worse (and debug output when G_MESSAGES_DEBUG asks for it),
   * in the redacted form too, and always on stderr (see sextant_log_writer_install ()). */
  if (!is_debug || !g_log_writer_default_would_drop (level, domain))
    {
      GLogField out[3] = {
        { "GLIB_DOMAIN", domain != NULL ? domain : "sextant", -1 },
        { "MESSAGE", redacted, -1 },
        { "PRIORITY", "4", -1 },
      };

      if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) || is_debug)
        return g_log_writer_standard_streams (level, out, G_N_ELEMENTS (out), user_data);
    }

  return G_LOG_WRITER_HANDLED;
}

/**
 * sextant_log_writer_note:
 * @topic: what the line is about, such as `bedrock`
 * @format: a printf() format
 * @...: its arguments
 *
 * Writes an event worth keeping to the log file only, as a `NOTE` line (redacted as every
 * line is): a Bedrock request with its model, region, tokens, latency and outcome, or a retry
 * and why. The monitoring window shows these lines; the console never gets them, so they neither
 * clutter a terminal nor mix with what sextant-cli prints. Without a log file (a test that
 * installed none) the line goes to g_debug().
 */
void
sextant_log_writer_note (const char *topic,
                         const char *format,
                         ...)
{
  g_autofree char *message = NULL;
  g_autofree char *redacted = NULL;
  va_list args;

  g_return_if_fail (topic != NULL && format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_mutex_lock (&log_lock);
  if (log_file != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");

      redacted = redact_locked (message);
      log_size += fprintf (log_file, "%s NOTE %s: %s\n", stamp, topic, redacted);
      fflush (log_file);
      if (log_size >= log_max_bytes)
        rotate_locked ();
      g_mutex_unlock (&log_lock);
      return;
    }
  g_mutex_unlock (&log_lock);
  g_debug ("%s: %s", topic, message);
}

/**
 * sextant_log_writer_install:
 * @directory: where `sextant.log` goes (the XDG state dir, normally)
 * @max_bytes: size at which the file is rotated
 * @n_files: how many files to keep, the current one included
 *
 * Installs the process-wide structured log writer. Call once, early in main().
 */
void
sextant_log_writer_install (const char *directory,
                            gsize       max_bytes,
                            guint       n_files)
{
  struct stat st;

  g_return_if_fail (directory != NULL);
  g_return_if_fail (n_files >= 1);

  g_mutex_lock (&log_lock);
  g_mkdir_with_parents (directory, 0700);
  g_clear_pointer (&log_path, g_free);
  g_clear_pointer (&log_file, fclose);
  log_path = g_build_filename (directory, "sextant.log", NULL);
  log_max_bytes = max_bytes;
  log_n_files = n_files;
  log_file = open_private_append (log_path);
  log_size = (g_stat (log_path, &st) == 0) ? (gsize) st.st_size : 0;
  g_mutex_unlock (&log_lock);

  /* GLib accepts one writer per process; later calls only move the file. Diagnostics of every
   * level go to stderr: GLib's default sends debug and info to stdout, where they would be mixed
   * into the CSV or JSON that sextant-cli prints. */
  if (g_once_init_enter (&writer_installed))
    {
      g_log_writer_default_set_use_stderr (TRUE);
      g_log_set_writer_func (sextant_log_writer_cb, NULL, NULL);
      g_once_init_leave (&writer_installed, 1);
    }
}

/**
 * sextant_log_writer_install_default:
 *
 * Installs the writer as every Sextant executable has it, the app and sextant-cli alike:
 * `sextant.log` in `$XDG_STATE_HOME/sextant`, rotated at 5 MiB, three files kept. Call once,
 * early in main(), before anything logs or reads a secret.
 */
void
sextant_log_writer_install_default (void)
{
  g_autofree char *state_dir = sextant_data_dirs_dup_state ();

  sextant_log_writer_install (state_dir, DEFAULT_MAX_BYTES, DEFAULT_N_FILES);
}

/**
 * sextant_log_writer_uninstall:
 *
 * Closes the file. The writer function stays (GLib cannot replace it) and writes to the console
 * only from then on.
 */
void
sextant_log_writer_uninstall (void)
{
  g_mutex_lock (&log_lock);
  g_clear_pointer (&log_file, fclose);
  g_mutex_unlock (&log_lock);
}

/**
 * sextant_log_writer_dup_path:
 *
 * Returns: (transfer full) (nullable): the current log file, if one is installed
 */
char *
sextant_log_writer_dup_path (void)
{
  char *path;

  g_mutex_lock (&log_lock);
  path = g_strdup (log_path);
  g_mutex_unlock (&log_lock);

  return path;
}

/**
 * sextant_log_writer_read_tail:
 * @n_lines: how many lines at most
 *
 * Returns: (transfer full) (array zero-terminated=1): the last @n_lines of the current file
 */
char **
sextant_log_writer_read_tail (guint n_lines)
{
  g_autofree char *path = sextant_log_writer_dup_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint total, first;

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return g_new0 (char *, 1);

  lines = g_strsplit (contents, "\n", -1);
  total = g_strv_length (lines);
  if (total > 0 && *lines[total - 1] == '\0')
    total--;
  first = total > n_lines ? total - n_lines : 0;

  {
    char **tail = g_new0 (char *, total - first + 1);

    for (guint i = first; i < total; i++)
      tail[i - first] = g_strdup (lines[i]);

    return tail;
  }
}
