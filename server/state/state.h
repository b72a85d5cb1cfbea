/* state.h -- the public header of server/state/ (library junheng_state): the
 * daemon's in-memory registry of counties and schools with each school's
 * newest revisions (registry.h, stored compactly by revision_pack.h, private
 * to this folder) and the live county statuses built from them
 * (county_book.h). No I/O: no sockets, no SQL. Other folders include this
 * header only. */
#ifndef JUNHENG_STATE_H
#define JUNHENG_STATE_H

#include "county_book.h"
#include "registry.h"

#endif
