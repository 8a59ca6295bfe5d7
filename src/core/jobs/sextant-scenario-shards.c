#define G_LOG_DOMAIN "sextant-scenario-shards"

#include "config.h"

#include <string.h>

#include "analytics/sextant-scenarios.h"
#include "jobs/sextant-scenario-job-private.h"
#include "jobs/sextant-scenario-shards.h"

#define SHARD_MAGIC "SEXTANT-SCENARIO-SHARD 1\n"

/*
 * A shard file: the magic line, one line of JSON (the job's digest and summary, which shard,
 * which paths), then the shard's terminal prices as little-endian IEEE doubles, path-major: text
 * would cost a merge of 100 shards of a million values seconds of parsing, and would have to be
 * printed with 17 digits to come back bit for bit.
 */
GBytes *
sextant_scenario_run_shard_bytes (const SextantScenarioRun *result,
                                  guint                     shard,
                                  guint                     shards)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *digest = sextant_scenario_job_dup_digest (result->job);
  g_autofree char *header = NULL;
  g_autoptr(GString) data = NULL;
  gsize n_values = (gsize) result->n_paths * result->job->n_assets;

  json_builder_begin_object (b);
  _sextant_scenario_add_string (b, "job_sha256", digest);
  _sextant_scenario_add_int (b, "shard", shard);
  _sextant_scenario_add_int (b, "shards", shards);
  _sextant_scenario_add_int (b, "first_path", result->first_path);
  _sextant_scenario_add_int (b, "paths", result->n_paths);
  _sextant_scenario_add_int (b, "variance_truncations", (gint64) result->n_truncated);
  json_builder_set_member_name (b, "job");
  json_builder_add_value (b, _sextant_scenario_job_to_json_full (result->job, TRUE));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  header = _sextant_scenario_node_to_string (root, FALSE);

  data = g_string_sized_new (strlen (SHARD_MAGIC) + strlen (header) + 1 + n_values * 8);
  g_string_append (data, SHARD_MAGIC);
  g_string_append (data, header);
  g_string_append_c (data, '\n');
  for (gsize i = 0; i < n_values; i++)
    {
      guint64 bits;

      memcpy (&bits, &result->terminal[i], 8);
      bits = GUINT64_TO_LE (bits);
      g_string_append_len (data, (const char *) &bits, 8);
    }
  return g_string_free_to_bytes (g_steal_pointer (&data));
}

gboolean
sextant_scenario_run_write_shard (const SextantScenarioRun  *result,
                                  guint                      shard,
                                  guint                      shards,
                                  const char                *path,
                                  GError                   **error)
{
  g_autoptr(GBytes) bytes = sextant_scenario_run_shard_bytes (result, shard, shards);

  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              error);
}

typedef struct
{
  char                  *path;
  GMappedFile           *file;
  char                  *digest;
  guint                  shard;
  guint                  shards;
  guint                  first_path;
  guint                  n_paths;
  guint64                n_truncated;
  SextantScenarioJob *job;
  const char            *values;
} Shard;

static void
shard_clear (Shard *s)
{
  g_free (s->path);
  g_clear_pointer (&s->file, g_mapped_file_unref);
  g_free (s->digest);
  sextant_scenario_job_free (s->job);
}

static gboolean
shard_read (Shard       *s,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  const char *data, *end_of_header, *digest;
  gsize length, magic = strlen (SHARD_MAGIC);
  guint64 shard = 0, shards = 0, first = 0, paths = 0, truncated = 0;

  s->path = g_strdup (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return _sextant_scenario_fail (error, path, "a folder, not a shard file");
  if ((s->file = g_mapped_file_new (path, FALSE, error)) == NULL)
    return FALSE;
  data = g_mapped_file_get_contents (s->file);
  length = g_mapped_file_get_length (s->file);
  if (length < magic || memcmp (data, SHARD_MAGIC, magic) != 0 ||
      (end_of_header = memchr (data + magic, '\n', length - magic)) == NULL)
    return _sextant_scenario_fail (error, path, "not a shard file of sextant-cli scenarios --shard");
  if (!json_parser_load_from_data (parser, data + magic, end_of_header - (data + magic), &local_error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return _sextant_scenario_fail (error, path, "the shard file's header is damaged");
  root = json_node_get_object (json_parser_get_root (parser));
  digest = _sextant_scenario_get_string (root, "job_sha256");
  if (digest == NULL || !_sextant_scenario_get_count (root, "shard", G_MAXUINT, &shard) ||
      !_sextant_scenario_get_count (root, "shards", SEXTANT_SCENARIO_JOB_MAX_SHARDS, &shards) || shard >= shards ||
      !_sextant_scenario_get_count (root, "first_path", G_MAXUINT, &first) ||
      !_sextant_scenario_get_count (root, "paths", G_MAXUINT, &paths) ||
      !_sextant_scenario_get_count (root, "variance_truncations", (double) G_MAXINT64, &truncated) ||
      json_object_get_member (root, "job") == NULL)
    return _sextant_scenario_fail (error, path, "the shard file's header is damaged");
  if ((s->job = _sextant_scenario_job_from_json_full (json_object_get_member (root, "job"), path, TRUE, error)) == NULL)
    return FALSE;
  s->digest = g_strdup (digest);
  s->shard = shard;
  s->shards = shards;
  s->first_path = first;
  s->n_paths = paths;
  s->n_truncated = truncated;
  s->values = end_of_header + 1;
  if ((guint64) (data + length - s->values) != paths * s->job->n_assets * 8)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: shard %u/%u should hold %" G_GUINT64_FORMAT " prices but holds %"
                   G_GSIZE_FORMAT " bytes of them: the file is cut short or damaged", path,
                   s->shard, s->shards, paths * s->job->n_assets,
                   (gsize) (data + length - s->values));
      return FALSE;
    }
  return TRUE;
}

static gboolean
shard_fits (const Shard  *s,
            const Shard  *first,
            Shard       **seen,
            GError      **error)
{
  guint expected_first, expected_paths;

  if (!g_str_equal (s->digest, first->digest))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s is a shard of another job than %s (job %.12s…, not %.12s…): merge only "
                   "the shards of one job", s->path, first->path, s->digest, first->digest);
      return FALSE;
    }
  if (s->shards != first->shards)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s is a shard of a run cut into %u shards, %s of one cut into %u", s->path,
                   s->shards, first->path, first->shards);
      return FALSE;
    }
  if (seen[s->shard] != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "Shard %u/%u is given twice: %s and %s", s->shard, s->shards,
                   seen[s->shard]->path, s->path);
      return FALSE;
    }
  if (!sextant_scenarios_shard_range (s->job->paths, s->shard, s->shards, &expected_first,
                                      &expected_paths, error))
    return FALSE;
  if (expected_first != s->first_path || expected_paths != s->n_paths)
    return _sextant_scenario_fail (error, s->path, "the shard's paths are not the ones its number stands for");
  return TRUE;
}

/**
 * sextant_scenario_run_merge:
 * @paths: (array zero-terminated=1): shard files, in any order
 *
 * Puts the shards of one job back together, refusing shards of different jobs, a shard given
 * twice or a missing one; the result is the one-process run's, bit for bit.
 */
gboolean
sextant_scenario_run_merge (const char * const  *paths,
                            SextantScenarioRun  *result,
                            GError             **error)
{
  guint n_files = g_strv_length ((char **) paths);
  g_autofree Shard *shards = g_new0 (Shard, MAX (n_files, 1));
  g_autofree Shard **seen = NULL;
  gboolean ok = FALSE;
  guint n_assets;

  if (n_files == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "No shard files to merge");
      return FALSE;
    }
  for (guint i = 0; i < n_files; i++)
    if (!shard_read (&shards[i], paths[i], error))
      goto out;
  seen = g_new0 (Shard *, shards[0].shards);
  for (guint i = 0; i < n_files; i++)
    {
      if (!shard_fits (&shards[i], &shards[0], seen, error))
        goto out;
      seen[shards[i].shard] = &shards[i];
    }
  for (guint i = 0; i < shards[0].shards; i++)
    if (seen[i] == NULL)
      {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     "Shard %u/%u is missing: give all %u shard files of the job", i,
                     shards[0].shards, shards[0].shards);
        goto out;
      }

  n_assets = shards[0].job->n_assets;
  result->job = g_steal_pointer (&shards[0].job);
  result->first_path = 0;
  result->n_paths = result->job->paths;
  result->n_truncated = 0;
  result->terminal = g_new (double, (gsize) result->n_paths * n_assets);
  for (guint i = 0; i < n_files; i++)
    {
      const Shard *s = &shards[i];
      double *to = result->terminal + (gsize) s->first_path * n_assets;
      gsize n_values = (gsize) s->n_paths * n_assets;

      result->n_truncated += s->n_truncated;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      memcpy (to, s->values, n_values * 8);
#else
      for (gsize v = 0; v < n_values; v++)
        {
          guint64 bits;

          memcpy (&bits, s->values + v * 8, 8);
          bits = GUINT64_FROM_LE (bits);
          memcpy (&to[v], &bits, 8);
        }
#endif
    }
  ok = TRUE;

out:
  for (guint i = 0; i < n_files; i++)
    shard_clear (&shards[i]);
  return ok;
}

