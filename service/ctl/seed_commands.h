// `mtpctl seed`: fills a database fast for load tests and demos of scale.
//
//   mtpctl seed --db URL --orgs N --users-per-org N --devices-per-org N --admins N
//               [--provider-name X] [--owner-password P] [--owner-email E]
//
// Adds ONE new provider with its owner (admin_billing, all orgs; written by the same code as
// `mtpctl provider create`, with its provider_create and admin_create events), then in one
// transaction: N orgs, their users (varied states: locked, password expired or expiring,
// new this week, sudo/passwordless sudo/samba, no password, STAGED/SUSPENDED, scheduled
// suspensions and activations), their devices (varied os, osFamily, last contact and
// uptime, some inactive for more than 7 days) and N admins: the first an all-orgs `admin`,
// the second a `help_desk` granted exactly min(20, orgs) orgs, the rest mixed roles with a
// few grants each. The bulk rows carry no activity events (they were not made by anyone).
//
// Every seeded admin and user with a password has the owner's password: it is hashed once
// (argon2id, as the service does) and that one hash is reused. The rows go through the
// store's bulk loader (store/bulk_load.h: COPY on PostgreSQL, prepared inserts on SQLite, in
// one transaction), which writes them as the store does, so mtpd reads them back.
//
// Prints `key=value` lines on stdout: provider, owner_email, password, admin_all_orgs,
// admin_20_orgs (emails; the password is the same), orgs, users, devices, admins, seconds.
// A running mtpd sees the new provider after SIGHUP. Needs the current schema
// (`mtpd migrate`). Exit codes: 0 done, 1 the database failed or refused, 2 bad input.
#pragma once

#include <CLI/CLI.hpp>

namespace mtp::ctl {

// Adds the `seed` subcommand to `app`; it sets exitCode().
void addSeedCommands(CLI::App& app);

}  // namespace mtp::ctl
