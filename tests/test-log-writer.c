#define G_LOG_DOMAIN "test-log-writer"
#define _POSIX_C_SOURCE 200809L /* umask () */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sextant-core.h"
#include "sextant-test-util.h"

static char *log_dir;

static char *
read_log (const char *suffix)
{
  g_autofree char *path = g_strconcat (log_dir, "/sextant.log", suffix, NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);

  return contents;
}

static void
test_redaction (void)
{
  g_autofree char *contents = NULL;
  g_autofree char *redacted = NULL;
  /* Fake values shaped like AWS ones; the key id is AWS's documented example. */
  const char *secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  sextant_log_writer_register_secret (secret);
  /* Structured logging goes straight to the writer; g_message() would also pass through the test
   * harness's own handler, which prints to the test log unredacted. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MESSAGE", "signing with %s for key AKIAIOSFODNN7EXAMPLE", secret);

  contents = read_log ("");
  g_assert_nonnull (contents);
  g_assert_null (strstr (contents, secret));
  g_assert_null (strstr (contents, "AKIAIOSFODNN7EXAMPLE"));
  g_assert_nonnull (strstr (contents, "signing with [redacted] for key [redacted-key-id]"));

  redacted = sextant_log_writer_redact ("token=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  g_assert_cmpstr (redacted, ==, "token=[redacted]");
}

/* A key also travels percent-encoded (a query string, in either case of hex digit) and
 * JSON-escaped (`\/` for `/`); each spelling is redacted as the raw one is. The key is a test
 * value with a `+` and a `/`, the characters that make the spellings differ. */
static void
test_redaction_of_encoded_forms (void)
{
  g_autofree char *contents = NULL;
  const char *secret = "sextant-test-log-key+Zq/9w";
  const char *spellings[] = {
    "sextant-test-log-key%2BZq%2F9w",
    "sextant-test-log-key%2bZq%2f9w",
    "sextant-test-log-key+Zq\\/9w",
  };

  sextant_log_writer_register_secret (secret);
  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autofree char *message = g_strdup_printf ("GET /query?apikey=%s&symbol=IBM", spellings[i]);
      g_autofree char *redacted = sextant_log_writer_redact (message);

      g_assert_cmpstr (redacted, ==, "GET /query?apikey=[redacted]&symbol=IBM");
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE", "body {\"key\": \"%s\"}",
                        spellings[i]);
    }

  contents = read_log ("");
  g_assert_nonnull (contents);
  g_assert_null (strstr (contents, secret));
  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    g_assert_null (strstr (contents, spellings[i]));
  g_assert_nonnull (strstr (contents, "body {\"key\": \"[redacted]\"}"));
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != 0600)
    g_error ("%s has mode %03o, expected 600", path, st.st_mode & 0777);
}

/* The log is created 0600 and its folder 0700 even under a umask that would allow everyone to
 * read them (umask 000); rotated files keep the mode. */
static void
test_file_modes (void)
{
  g_autofree char *dir = g_build_filename (log_dir, "modes", "nested", NULL);
  g_autofree char *log = g_build_filename (dir, "sextant.log", NULL);
  g_autofree char *rotated = g_build_filename (dir, "sextant.log.1", NULL);
  mode_t old_umask = umask (0);
  GStatBuf st;

  sextant_log_writer_install (dir, 200, 2);
  for (int i = 0; i < 10; i++)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE", "mode line %02d, long enough", i);
  umask (old_umask);

  assert_private (log);
  assert_private (rotated);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  sextant_log_writer_install (log_dir, 5 * 1024 * 1024, 3);
}

static void
test_console_is_stderr_child (void)
{
  /* g_test_init () makes warnings fatal; this one is only printed. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  sextant_log_writer_register_secret ("sextant-test-console-key/42");
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "MESSAGE", "debug with sextant-test-console-key%%2F42");
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "MESSAGE", "warning with sextant-test-console-key/42");
}

/* Diagnostics, debug ones included, go to stderr: stdout is sextant-cli's CSV or JSON. */
static void
test_console_is_stderr (void)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_trap_subprocess ("/sextant/log-writer/console-is-stderr/subprocess", 0, 0);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("*debug with [redacted]*warning with [redacted]*");
  g_test_trap_assert_stderr_unmatched ("*sextant-test-console-key*");
}

static void
test_note_child (void)
{
  sextant_log_writer_register_secret ("sextant-test-note-key/7");
  sextant_log_writer_note ("bedrock", "Request to %s with sextant-test-note-key/7", "amazon.nova-lite-v1:0");
}

/* A note is a NOTE line of the file, redacted, and never reaches the console. */
static void
test_note (void)
{
  g_auto(GStrv) tail = NULL;

  g_test_trap_subprocess ("/sextant/log-writer/note/subprocess", 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("");
  /* The child wrote to a log of its own: the same note here, read back. */
  test_note_child ();
  tail = sextant_log_writer_read_tail (1);
  g_assert_cmpuint (g_strv_length (tail), ==, 1);
  g_assert_nonnull (strstr (tail[0], " NOTE bedrock: Request to amazon.nova-lite-v1:0 with [redacted]"));
}

static void
test_rotation_and_tail (void)
{
  g_auto(GStrv) tail = NULL;
  g_autofree char *first = NULL;
  g_autofree char *third = NULL;

  /* 400 bytes a file, 3 files: 60 messages of ~70 bytes rotate many times, yet only the current
   * file and .1 and .2 may exist. */
  sextant_log_writer_install (log_dir, 400, 3);
  for (int i = 0; i < 60; i++)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "MESSAGE", "rotation line %02d padded to make the line longer", i);

  first = read_log (".1");
  third = read_log (".3");
  g_assert_nonnull (first);
  g_assert_null (third);

  tail = sextant_log_writer_read_tail (2);
  g_assert_cmpuint (g_strv_length (tail), <=, 2);
  g_assert_cmpuint (g_strv_length (tail), >=, 1);
  g_assert_nonnull (strstr (tail[g_strv_length (tail) - 1], "rotation line 59"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  log_dir = sextant_test_make_temp_dir ();
  sextant_log_writer_install (log_dir, 5 * 1024 * 1024, 3);

  g_test_add_func ("/sextant/log-writer/redaction", test_redaction);
  g_test_add_func ("/sextant/log-writer/redaction-of-encoded-forms", test_redaction_of_encoded_forms);
  g_test_add_func ("/sextant/log-writer/file-modes", test_file_modes);
  g_test_add_func ("/sextant/log-writer/console-is-stderr", test_console_is_stderr);
  g_test_add_func ("/sextant/log-writer/console-is-stderr/subprocess", test_console_is_stderr_child);
  g_test_add_func ("/sextant/log-writer/note", test_note);
  g_test_add_func ("/sextant/log-writer/note/subprocess", test_note_child);
  g_test_add_func ("/sextant/log-writer/rotation-and-tail", test_rotation_and_tail);

  status = g_test_run ();
  sextant_log_writer_uninstall ();
  g_free (log_dir);

  return status;
}
