#define G_LOG_DOMAIN "sextant-container-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jobs/sextant-container-credentials.h"
#include "jobs/sextant-jobs-error.h"

/* Inside a Batch (ECS) container the job role's temporary keys come from the container
 * credentials endpoint the agent names in AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (or _FULL_URI,
 * with AWS_CONTAINER_AUTHORIZATION_TOKEN), as the AWS SDKs read them: no key is ever put in the
 * image or the job definition. */

#define ECS_HOST "http://169.254.170.2"

gboolean
sextant_container_credentials_available (void)
{
  return g_getenv ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL ||
         g_getenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL;
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * sextant_container_credentials_fetch:
 *
 * Returns: (transfer full) (nullable): the job role's keys
 */
SextantAwsCredentials *
sextant_container_credentials_fetch (GError **error)
{
  const char *relative = g_getenv ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *token = g_getenv ("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  g_autofree char *url = relative != NULL ? g_strconcat (ECS_HOST, relative, NULL)
                                          : g_strdup (g_getenv ("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  const char *id, *secret;

  if (url == NULL || (message = soup_message_new ("GET", url)) == NULL)
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_INVALID_ARGUMENT,
                   _("No container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)"));
      return NULL;
    }
  if (token != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  token);
  body = soup_session_send_and_read (session, message, NULL, &local_error);
  if (body == NULL || soup_message_get_status (message) != 200)
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_NETWORK,
                   _("The container credentials endpoint did not answer: %s"),
                   local_error != NULL ? local_error->message
                                       : soup_status_get_phrase (soup_message_get_status (message)));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (object = json_node_get_object (json_parser_get_root (parser))) == NULL ||
      (id = member (object, "AccessKeyId")) == NULL ||
      (secret = member (object, "SecretAccessKey")) == NULL)
    {
      g_set_error (error, SEXTANT_JOBS_ERROR, SEXTANT_JOBS_ERROR_PARSE,
                   _("The container credentials endpoint answered without AccessKeyId and "
                     "SecretAccessKey"));
      return NULL;
    }
  return sextant_aws_credentials_new_static (id, secret, member (object, "Token"), NULL);
}
