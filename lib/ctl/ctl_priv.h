/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the parts of lib/ctl share and nothing outside sees: the JSON side
 * of the result builder and the single call path of a command.
 */
#ifndef CTL_PRIV_H
#define CTL_PRIV_H

#include <jansson.h>

#include "ctl.h"

struct ctl_out *ctl_out_create(void);
void ctl_out_free(struct ctl_out *o);
/* The result (borrowed), an empty object if nothing was added. */
json_t *ctl_out_result(struct ctl_out *o);
int ctl_out_is_error(const struct ctl_out *o);
int ctl_out_error_code(const struct ctl_out *o);
const char *ctl_out_error_msg(const struct ctl_out *o);
/* The JSON-RPC error object {"code", "message", "data"?} (new ref). */
json_t *ctl_out_error_obj(const struct ctl_out *o);

/*
 * Check access, bind 'params' (object, array or NULL) to the command's
 * parameter table and run its handler. Returns 0, or the error code with
 * the error recorded in 'o'.
 */
int ctl_cmd_call(const struct ctl_cmd *c, json_t *params, void *conn,
		 int privileged, struct ctl_out *o);

#endif /* CTL_PRIV_H */
