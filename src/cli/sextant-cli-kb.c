#define G_LOG_DOMAIN "sextant-cli-kb"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sextant-core.h"
#include "sextant-cli-chat.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

/* `sextant-cli kb add PATH…|list|remove DOC|search QUERY`: the knowledge base (issue 16). With AWS
 * credentials, added chunks are embedded with Titan Text Embeddings V2 and searches are hybrid;
 * without them (or with --offline) they are found by keyword (bm25) alone, and stderr says so. */

#define DEFAULT_DIMENSIONS 1024
/* An integer option not given: every option belongs to one action, and is refused with another. */
#define UNSET G_MININT

typedef struct
{
  char     *format;
  int       top_k;
  gboolean  offline;
  int       dimensions;
  int       chunk_tokens;
  double    overlap;
  char     *document;
  char     *model;
  char     *overlap_text;
  char    **tags;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->document, g_free);
  g_clear_pointer (&options->model, g_free);
  g_clear_pointer (&options->overlap_text, g_free);
  g_clear_pointer (&options->tags, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static SextantBedrockClient *
make_client (GError **error)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_load (NULL, NULL, error);
  g_autoptr(SextantSecretStore) keyring = NULL;
  g_autofree char *keyring_problem = NULL;
  SextantBedrockClient *client;
  const char *base_delay = g_getenv ("SEXTANT_BEDROCK_RETRY_BASE_DELAY_MS");

  if (config == NULL)
    return NULL;
  keyring = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (keyring, 3000);
  client = sextant_bedrock_connect (keyring, config, &keyring_problem, error);
  if (keyring_problem != NULL)
    g_debug ("%s; using the environment and ~/.aws files instead", keyring_problem);
  /* For tests of the retry path; never needed by users. */
  if (client != NULL && base_delay != NULL)
    g_object_set (client, "retry-base-delay-ms", (guint) atoi (base_delay), NULL);

  return client;
}

static char *
format_time (gint64 seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_format_iso8601 (dt);
}

static void
progress_cb (SextantKbIndexer *indexer,
             const char       *phase,
             const char       *path,
             guint             done,
             guint             total,
             gpointer          user_data)
{
  /* Progress goes to stderr, and only to a terminal: scripts read the summary. */
  if (!isatty (fileno (stderr)) || total == 0)
    return;
  if (g_str_equal (phase, "reading") && path != NULL)
    fprintf (stderr, "\rReading %u/%u … ", done + 1, total);
  else if (g_str_equal (phase, "embedding"))
    fprintf (stderr, "\rEmbedding %u/%u … ", done, total);
  if (done == total)
    fprintf (stderr, "\n");
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Whether a stored document is one of the files given, or inside one of the folders given. */
static gboolean
path_was_given (const char *document_path,
                GPtrArray  *given)
{
  g_autoptr(GFile) document = g_file_new_for_path (document_path);

  for (guint i = 0; i < given->len; i++)
    if (g_file_equal (document, given->pdata[i]) || g_file_has_prefix (document, given->pdata[i]))
      return TRUE;

  return FALSE;
}

/* `kb add --tag T`: every document given, new, changed or already there, carries the tags. The
 * report lists only files skipped or noted (it stays small for a huge folder), so the documents
 * are found in the store by their paths: those given, or inside a folder given. */
static guint
tag_added (SextantKbStore  *kb,
           char           **paths,
           char           **tags)
{
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) given = NULL;
  guint n_failed = 0;

  if (tags == NULL || tags[0] == NULL)
    return 0;
  if ((documents = sextant_kb_store_list (kb, &error)) == NULL)
    {
      fprintf (stderr, "sextant-cli kb add: not tagged: %s\n", error->message);
      return 1;
    }
  given = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (given, g_file_new_for_path (paths[i]));
  for (guint i = 0; i < documents->len; i++)
    {
      SextantKbDocument *document = documents->pdata[i];

      if (!path_was_given (document->path, given))
        continue;
      for (guint t = 0; tags[t] != NULL; t++)
        if (!sextant_kb_store_add_tag (kb, document->id, tags[t], &error))
          {
            fprintf (stderr, "sextant-cli kb add: %s: not tagged: %s\n", document->path, error->message);
            g_clear_error (&error);
            n_failed++;
            break;
          }
    }

  return n_failed;
}

static int
do_add (SextantKbStore  *kb,
        char           **paths,
        const Options   *options)
{
  g_autoptr(SextantKbIndexer) indexer = sextant_kb_indexer_new (kb);
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autoptr(SextantKbReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_model = NULL;
  SextantKbChunkOptions chunking = { options->chunk_tokens, options->overlap };
  guint dims = 0;

  if (!sextant_kb_chunk_options_check (&chunking, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "kb add", error);
  sextant_kb_indexer_set_chunk_options (indexer, &chunking);
  if (!options->offline)
    {
      g_autoptr(GError) client_error = NULL;

      if ((client = make_client (&client_error)) == NULL)
        fprintf (stderr, "sextant-cli kb add: %s: indexing for keyword search only\n", client_error->message);
    }
  /* Keep the dimension the library is embedded with, unless told otherwise (that re-embeds). */
  sextant_kb_store_get_embedding (kb, &stored_model, &dims);
  if (options->dimensions > 0)
    dims = options->dimensions;
  else if (dims == 0)
    dims = DEFAULT_DIMENSIONS;
  sextant_kb_indexer_set_embedder (indexer, client, options->model != NULL ? options->model : stored_model, dims);
  g_signal_connect (indexer, "progress", G_CALLBACK (progress_cb), NULL);
  sextant_kb_indexer_add_async (indexer, (const char * const *) paths, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if ((report = sextant_kb_indexer_add_finish (indexer, result, &error)) == NULL)
    return sextant_cli_fail (-1, "kb add", error);
  if (report->n_indexed + report->n_unchanged + report->n_failed == 0)
    {
      fprintf (stderr, "sextant-cli kb add: no PDF, Markdown, text, HTML or CSV file in what was given\n");
      return SEXTANT_CLI_EXIT_INPUT;
    }
  for (guint i = 0; i < report->files->len; i++)
    {
      SextantKbFileReport *file = report->files->pdata[i];

      if (file->error != NULL)
        fprintf (stderr, "sextant-cli kb add: skipped %s\n", file->error);
      else if (file->note != NULL)
        fprintf (stderr, "sextant-cli kb add: %s: %s\n", file->path, file->note);
    }
  if (report->embedding_error != NULL)
    fprintf (stderr, "sextant-cli kb add: embedding stopped (%s); the rest is found by keyword until the next "
                     "kb add\n", report->embedding_error);
  if (tag_added (kb, paths, options->tags) > 0)
    return SEXTANT_CLI_EXIT_INPUT;
  printf ("%u indexed, %u unchanged, %u skipped, %u passages embedded\n", report->n_indexed,
          report->n_unchanged, report->n_failed, report->n_embedded);

  return report->n_indexed + report->n_unchanged > 0 ? SEXTANT_CLI_EXIT_OK : SEXTANT_CLI_EXIT_INPUT;
}

static void
add_document_json (JsonBuilder             *b,
                   const SextantKbDocument *document)
{
  g_autofree char *name = g_path_get_basename (document->path);
  g_autofree char *added = format_time (document->added_at);

  json_builder_begin_object (b);
  sextant_json_add_string (b, "document", name);
  sextant_json_add_string (b, "title", document->title);
  sextant_json_add_string (b, "path", document->path);
  sextant_json_add_string (b, "format", document->format);
  sextant_json_add_int (b, "size", document->size);
  sextant_json_add_string (b, "sha256", document->sha256);
  json_builder_set_member_name (b, "pages");
  if (document->n_pages > 0)
    json_builder_add_int_value (b, document->n_pages);
  else
    json_builder_add_null_value (b);
  sextant_json_add_int (b, "chunks", document->n_chunks);
  sextant_json_add_int (b, "embedded", document->n_vectors);
  sextant_json_add_string (b, "added_at", added);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint t = 0; document->tags[t] != NULL; t++)
    json_builder_add_string_value (b, document->tags[t]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static int
do_list (SextantKbStore   *kb,
         SextantCliFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = sextant_kb_store_list (kb, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (documents == NULL)
    return sextant_cli_fail (-1, "kb list", error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "documents");
  json_builder_begin_array (b);
  for (guint i = 0; i < documents->len; i++)
    {
      SextantKbDocument *document = documents->pdata[i];
      g_autofree char *pages = document->n_pages > 0 ? g_strdup_printf ("%u p.", document->n_pages) : g_strdup ("");
      g_autofree char *tags = g_strjoinv (", ", document->tags);

      if (format == SEXTANT_CLI_FORMAT_JSON)
        add_document_json (b, document);
      else
        printf ("%-40s %7s %5" G_GINT64_FORMAT " passages %5" G_GINT64_FORMAT " embedded  %s%s%s%s\n", document->title,
                pages, document->n_chunks, document->n_vectors, document->path, tags[0] != '\0' ? "  [" : "", tags,
                tags[0] != '\0' ? "]" : "");
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = json_builder_get_root (b);

      sextant_cli_print_json (node);
    }
  else if (documents->len == 0)
    printf ("The knowledge base is empty. Add documents with: sextant-cli kb add PATH…\n");

  return SEXTANT_CLI_EXIT_OK;
}

static int
do_remove (SextantKbStore *kb,
           const char     *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sextant_kb_store_find_document (kb, name, &error);

  if (id == 0 || !sextant_kb_store_remove (kb, id, &error))
    return sextant_cli_fail (-1, "kb remove", error);
  printf ("Removed %s\n", name);

  return SEXTANT_CLI_EXIT_OK;
}

static void
add_passage_json (JsonBuilder            *b,
                  const SextantKbPassage *passage)
{
  g_autofree char *name = g_path_get_basename (passage->path);

  json_builder_begin_object (b);
  sextant_json_add_string (b, "document", name);
  sextant_json_add_string (b, "path", passage->path);
  json_builder_set_member_name (b, "page");
  if (passage->page > 0)
    json_builder_add_int_value (b, passage->page);
  else
    json_builder_add_null_value (b);
  sextant_json_add_string (b, "text", passage->text);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, passage->score);
  sextant_json_add_string (b, "title", passage->title);
  json_builder_set_member_name (b, "span");
  json_builder_begin_object (b);
  sextant_json_add_int (b, "start", passage->char_start);
  sextant_json_add_int (b, "end", passage->char_end);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static int
do_search (SextantKbStore   *kb,
           const char       *query,
           const Options    *options,
           SextantCliFormat  format)
{
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autoptr(SextantKbSearcher) searcher = NULL;
  g_autoptr(SextantKbResults) results = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;
  g_autofree char *client_problem = NULL;
  gint64 document_id = 0;
  guint dims = 0;

  if (options->document != NULL && (document_id = sextant_kb_store_find_document (kb, options->document, &error)) == 0)
    return sextant_cli_fail (-1, "kb search", error);
  /* The question is embedded as the passages were; with none embedded there is nothing to ask. */
  if (!options->offline && sextant_kb_store_get_embedding (kb, &model, &dims))
    {
      g_autoptr(GError) client_error = NULL;

      if ((client = make_client (&client_error)) == NULL)
        client_problem = g_strdup (client_error->message);
    }
  searcher = sextant_kb_searcher_new (kb, client, model, dims > 0 ? dims : DEFAULT_DIMENSIONS);
  results = sextant_kb_searcher_search_tagged (searcher, query, document_id,
                                               options->tags != NULL ? options->tags[0] : NULL, options->top_k,
                                               options->offline || client == NULL, NULL, &error);
  if (results == NULL)
    return sextant_cli_fail (-1, "kb search", error);
  if (!results->hybrid)
    fprintf (stderr, "sextant-cli kb search: keyword search only (bm25)%s%s\n",
             client_problem != NULL || results->offline_reason != NULL ? ": " : "",
             client_problem != NULL ? client_problem : results->offline_reason != NULL ? results->offline_reason : "");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->passages->len; i++)
    {
      SextantKbPassage *passage = results->passages->pdata[i];
      g_autofree char *name = g_path_get_basename (passage->path);
      g_autofree char *page = passage->page > 0 ? g_strdup_printf (", page %u", passage->page) : g_strdup ("");
      g_autofree char *line = g_strdelimit (g_strdup (passage->text), "\n\r\t", ' ');

      if (format == SEXTANT_CLI_FORMAT_JSON)
        add_passage_json (b, passage);
      else
        printf ("[%u] %s%s (score %.4g)\n    %s\n", i + 1, name, page, passage->score, line);
    }
  json_builder_end_array (b);
  sextant_json_add_string (b, "search", results->hybrid ? "hybrid" : "bm25");
  json_builder_end_object (b);
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = json_builder_get_root (b);

      sextant_cli_print_json (node);
    }
  else if (results->passages->len == 0)
    printf ("No passage matches.\n");

  return SEXTANT_CLI_EXIT_OK;
}

int
sextant_cli_kb_main (int    argc,
                     char **argv)
{
  g_auto(Options) options = { .top_k = UNSET, .chunk_tokens = UNSET, .dimensions = UNSET };
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format, "Output format of list and search: text or json", "FORMAT" },
    { "top-k", 'k', 0, G_OPTION_ARG_INT, &options.top_k, "Passages search returns (default 5)", "N" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &options.offline, "Keyword search only (bm25); add: do not embed", NULL },
    { "document", 0, 0, G_OPTION_ARG_STRING, &options.document, "search: only this document (file name or path)", "DOC" },
    { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.tags,
      "add: give the documents this tag (repeat for more); search: only documents with this tag", "TAG" },
    { "dimensions", 0, 0, G_OPTION_ARG_INT, &options.dimensions,
      "add: embedding dimension, 256, 512 or 1024; Cohere also 1536 (a change re-embeds)", "N" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &options.model,
      "add: embedding model, amazon.titan-embed-text-v2:0 (default) or cohere.embed-v4:0 (a change re-embeds)", "ID" },
    { "chunk-tokens", 0, 0, G_OPTION_ARG_INT, &options.chunk_tokens, "add: passage size in tokens (default 300)", "N" },
    { "overlap", 0, 0, G_OPTION_ARG_STRING, &options.overlap_text, "add: share of a passage repeated in the next (default 0.15)",
      "SHARE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("add PATH…|list|remove DOC|search QUERY");
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format = SEXTANT_CLI_FORMAT_TEXT;
  const char *verb;
  int exit_code;

  g_option_context_set_summary (context, "The knowledge base: your documents, searched and cited by the assistant.\n\n"
                                         "  add PATH…      index files or folders (PDF, Markdown, text, HTML, CSV);\n"
                                         "                 with --tag, tag them (also files already indexed)\n"
                                         "  list           the documents, their passages and embeddings\n"
                                         "  remove DOC     remove a document (file name or path)\n"
                                         "  search QUERY   the best passages, best first (--tag: of documents with it)");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "kb", &exit_code))
    return exit_code;
  if (options.format != NULL &&
      !sextant_cli_parse_format (options.format, 1 << SEXTANT_CLI_FORMAT_TEXT | 1 << SEXTANT_CLI_FORMAT_JSON, &format, &error))
    return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "kb", error);
  if (argc < 2)
    return sextant_cli_usage_error (context, "kb", "Say what to do: add, list, remove or search");
  verb = argv[1];
  if (!g_str_equal (verb, "search") && (options.top_k != UNSET || options.document != NULL))
    return sextant_cli_usage_error (context, "kb", "--top-k and --document are options of kb search");
  if (!g_str_equal (verb, "add") && !g_str_equal (verb, "search") && options.tags != NULL)
    return sextant_cli_usage_error (context, "kb", "--tag is an option of kb add and kb search");
  if (g_str_equal (verb, "search") && options.tags != NULL && options.tags[0] != NULL && options.tags[1] != NULL)
    return sextant_cli_usage_error (context, "kb", "kb search takes one --tag");
  for (guint t = 0; options.tags != NULL && options.tags[t] != NULL; t++)
    {
      g_autofree char *tag = sextant_kb_tag_normalize (options.tags[t], &error);

      if (tag == NULL)
        return sextant_cli_fail (SEXTANT_CLI_EXIT_USAGE, "kb", error);
    }
  if (!g_str_equal (verb, "add") && (options.chunk_tokens != UNSET || options.overlap_text != NULL ||
                                     options.dimensions != UNSET || options.model != NULL))
    return sextant_cli_usage_error (context, "kb", "--chunk-tokens, --overlap, --dimensions and --model are options of kb add");
  if (!g_str_equal (verb, "add") && !g_str_equal (verb, "search") && options.offline)
    return sextant_cli_usage_error (context, "kb", "--offline is an option of kb add and kb search");
  if (options.top_k == UNSET)
    options.top_k = 5;
  else if (options.top_k < 1 || options.top_k > 100)
    return sextant_cli_usage_error (context, "kb", "--top-k takes 1 to 100");
  if (options.model != NULL && !g_str_has_suffix (options.model, SEXTANT_TITAN_EMBED_V2) &&
      !(sextant_embedding_model_is_cohere (options.model) && g_str_has_suffix (options.model, "embed-v4:0")))
    return sextant_cli_usage_error (context, "kb", "--model takes amazon.titan-embed-text-v2:0 or cohere.embed-v4:0 "
                                                   "(or an inference profile of them)");
  if (options.dimensions == UNSET)
    options.dimensions = 0;
  else if (options.dimensions != 256 && options.dimensions != 512 && options.dimensions != 1024 &&
           !(options.dimensions == 1536 && sextant_embedding_model_is_cohere (options.model)))
    return sextant_cli_usage_error (context, "kb", "--dimensions takes 256, 512 or 1024 (1536 with Cohere)");
  if (options.chunk_tokens == UNSET)
    options.chunk_tokens = SEXTANT_KB_CHUNK_TOKENS_DEFAULT;
  options.overlap = SEXTANT_KB_CHUNK_OVERLAP_DEFAULT;
  if (options.overlap_text != NULL)
    {
      char *end = NULL;

      options.overlap = g_ascii_strtod (options.overlap_text, &end);
      if (end == options.overlap_text || *end != '\0' || !(options.overlap >= 0 && options.overlap <= 0.5))
        return sextant_cli_usage_error (context, "kb", "--overlap takes a share from 0 to 0.5, such as 0.15");
    }
  if ((g_str_equal (verb, "add") && argc < 3) || (g_str_equal (verb, "remove") && argc != 3) ||
      (g_str_equal (verb, "search") && argc != 3) || (g_str_equal (verb, "list") && argc != 2))
    return sextant_cli_usage_error (context, "kb", "Usage: kb add PATH…, kb list, kb remove DOC, kb search QUERY");
  if (!g_str_equal (verb, "add") && !g_str_equal (verb, "list") && !g_str_equal (verb, "remove") &&
      !g_str_equal (verb, "search"))
    return sextant_cli_usage_error (context, "kb", "Unknown kb command: add, list, remove or search");
  if ((store = sextant_cli_open_agent_store (&error)) == NULL)
    return sextant_cli_fail (-1, "kb", error);
  kb = sextant_kb_store_new (store);
  if (g_str_equal (verb, "add"))
    return do_add (kb, argv + 2, &options);
  if (g_str_equal (verb, "list"))
    return do_list (kb, format);
  if (g_str_equal (verb, "remove"))
    return do_remove (kb, argv[2]);

  return do_search (kb, argv[2], &options, format);
}
