#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A SigV4 checker for the fake Bedrock server, written apart from SextantSigv4Signer (it shares
 * no code with it) so that a bug in the signer cannot hide itself: it rebuilds the canonical
 * request from the request exactly as received. With expected_service "s3" it checks S3's rules
 * (the path encoded once; x-amz-content-sha256 required, signed and the body's hash). */

typedef struct
{
  const char  *method;
  const char  *raw_path;     /* as received on the wire, still percent-encoded */
  const char  *raw_query;    /* nullable */
  const char **header_names; /* NULL-terminated, as received (any case) */
  const char **header_values;
  const guint8 *body;
  gsize         body_len;
} Sigv4VerifierRequest;

gboolean sigv4_verifier_check (const Sigv4VerifierRequest  *request,
                               const char                  *access_key_id,
                               const char                  *secret_access_key,
                               const char                  *expected_region,
                               const char                  *expected_service,
                               char                       **reason);

G_END_DECLS
