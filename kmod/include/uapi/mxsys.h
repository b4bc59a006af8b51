/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mxsys: MINIX 3 privilege slots for Linux: message IPC, memory grants,
 * kernel-call and send masks, signal-manager routing, death detection,
 * slot swap (sys_update), alarms, a store of open files per endpoint,
 * and a generic netlink family.
 *
 * This header is the whole ABI between the mxsys kernel module and user
 * space. Nothing else is shared.
 *
 * ENDPOINTS AND SLOTS
 *
 *   The module keeps a fixed table of privilege slots (module parameter
 *   nr_slots, default 64, at most MXSYS_MAX_SLOTS). A slot is named by an
 *   endpoint, (generation << 15) | slot. The generation grows each time a
 *   slot is cleared and reused, so a stale endpoint is detected. The
 *   endpoint of a service stays the same when its process dies and a new
 *   process is bound to the same slot: a pid is not an identity, an
 *   endpoint is.
 *
 *   Slots below MXSYS_NR_STATIC_SLOTS are static: RS is MXSYS_RS_ENDPOINT
 *   (slot 2), DS is MXSYS_DS_ENDPOINT (slot 6); the others are allocated
 *   dynamically. A static slot keeps generation 0 when it is cleared: its
 *   endpoint is well known, and the next RS or DS has it again. Special endpoints: MXSYS_ANY, MXSYS_NONE, MXSYS_SELF,
 *   MXSYS_SYSTEM (the module itself, sender of signal/death notifications)
 *   and MXSYS_CLOCK (sender of alarm notifications).
 *
 * THE DEVICE, /dev/mxsys
 *
 *   open(): if a slot has been prepared (PRIVCTL SET_SYS) for the calling
 *   thread group, the file is bound to that slot at once: the caller is
 *   now that slot's process, and only its thread group may use the file
 *   (other processes get -EPERM). Otherwise the open succeeds unbound only
 *   for a caller with CAP_SYS_ADMIN (which may then MXSYS_IOC_RS_CLAIM);
 *   anyone else gets -EPERM. Open with O_CLOEXEC.
 *
 *   A slot's process is dead when its thread group exits (the module sees
 *   the exit and records the wait(2)-style status) or when its bound file
 *   is released. A dead slot keeps its endpoint, its queued senders and
 *   pending notifications; a caller waiting in SENDREC for the dead
 *   process's reply gets -MXSYS_EDEADSRCDST. The slot's signal manager (RS by
 *   default; see SIGNALS) is notified from MXSYS_SYSTEM and pulls the
 *   death with MXSYS_IOC_GETKSIG.
 *   A dead slot is re-bound with PRIVCTL SET_SYS (same endpoint, new pid)
 *   or freed with MXSYS_IOC_CLEAR.
 *
 *   poll(): EPOLLIN when a receive would not block.
 *
 * IPC (all take struct mxsys_ipc; the caller must be bound and allowed)
 *
 *   A process whose slot was prepared but not yet allowed (PRIVCTL ALLOW)
 *   blocks in any IPC call until it is allowed; so does one whose signals
 *   are with its signal manager, until MXSYS_IOC_ENDKSIG (see SIGNALS).
 *   Calls already blocked are not affected.
 *
 *   MXSYS_IOC_SEND     rendezvous send of msg to endpoint; blocks until
 *                      the destination receives it.
 *   MXSYS_IOC_RECEIVE  receive from endpoint (or MXSYS_ANY). Pending
 *                      notifications are delivered before messages.
 *                      On return msg.m_source is the sender and status
 *                      says how it was sent (MXSYS_STATUS_CALL()).
 *   MXSYS_IOC_SENDREC  send, then receive the reply from the same
 *                      endpoint; notifications wait until the reply
 *                      came. The reply is the first message the
 *                      destination sends the caller's slot after it took
 *                      the request (below, THREADS). Once the request has
 *                      been taken, a restarted call only waits for the
 *                      reply (below).
 *   MXSYS_IOC_NOTIFY   non-blocking, payload-free: sets a pending bit for
 *                      the caller in the destination, coalesced per
 *                      source. The received message has m_type
 *                      MXSYS_NOTIFY_MESSAGE and carries the monotonic
 *                      time of the notify in
 *                      m_u64[MXSYS_NOTIFY_TIMESTAMP]; a notify from
 *                      MXSYS_SYSTEM also carries the pending signal set
 *                      in m_u64[MXSYS_NOTIFY_SIGSET].
 *   MXSYS_IOC_SENDNB   send only if the destination is waiting for it,
 *                      else -MXSYS_ENOTREADY.
 *   MXSYS_IOC_SENDA    asynchronous send: the message is queued in the
 *                      destination slot and the caller does not block.
 *                      At most MXSYS_SENDA_MAX are queued per sender;
 *                      beyond that, -EAGAIN. A queued message outlives
 *                      its sender's process; it is dropped only when the
 *                      sender's or the destination's slot is cleared.
 *   MXSYS_IOC_SENDA_NOREPLY  as SENDA, but the message is never taken as
 *                      the reply of a SENDREC (MINIX's AMF_NOREPLY): a
 *                      request or event for the service, such as RS's
 *                      init and live-update requests, which must reach
 *                      the thread that receives, not a thread that waits
 *                      for the sender's answer. Received as
 *                      MXSYS_CALL_SENDA.
 *
 *   Every send checks the caller's send mask (bit = destination slot):
 *   a destination outside it gives -MXSYS_ECALLDENIED. Sending to yourself
 *   gives -EINVAL. An endpoint whose slot is free or whose generation is
 *   stale gives -MXSYS_EDEADEPT; an endpoint out of range gives -EINVAL.
 *   A send that would close a cycle of blocked calls that nothing can
 *   break gives -MXSYS_ELOCKED: A sends to B while B is blocked sending to, or
 *   waiting for a reply from, A, directly or through others, where each
 *   process on the cycle has every thread blocked in a call on the next
 *   one (a process with one thread: its one call). A receive from a
 *   specific endpoint whose slot is free, stale or dead gives
 *   -MXSYS_EDEADSRCDST unless a message from it is still queued. Every
 *   slot may send to RS and RS to it.
 *
 *   No IPC call fails with EINTR. A fatal signal ends a blocked call (the
 *   process dies). Any other signal the process has not blocked (libsef
 *   blocks them all) interrupts the wait, its handler runs, and the
 *   kernel restarts the call whatever SA_RESTART says: a call whose
 *   message was not yet taken starts over, one whose message was taken
 *   has completed and returns its result. A SENDREC whose request was
 *   taken keeps waiting for its reply in the module; the restarted
 *   SENDREC (same thread, same endpoint) collects it, so the request is
 *   never sent twice and the reply never lost. A signal handler must
 *   therefore not itself SENDREC to that endpoint. Debuggers and job
 *   control (ptrace, SIGSTOP) work on a process blocked in IPC, in every
 *   thread.
 *
 * THREADS
 *
 *   Any thread of a slot's process may make any call; several may be
 *   blocked at once. A message from endpoint X to the slot goes to:
 *     1. the thread waiting for X's reply in SENDREC, if any, unless the
 *        message is a notification or came by SENDA_NOREPLY;
 *     2. else the thread that has waited longest in a receive from X or
 *        from ANY (first come, first served: with N threads receiving
 *        from ANY, messages are spread over them in arrival order);
 *     3. else it is queued, and the next receive that accepts X takes
 *        it (queued messages never become replies).
 *   Notifications, and with them signals for a slot that is its own
 *   signal manager, reach only receiving threads.
 *   A slot has at most one SENDREC outstanding to each destination, so
 *   that the destination's reply is never ambiguous: a SENDREC to X made
 *   while another thread of the slot has a SENDREC to X not yet answered
 *   waits (blocked, before its request is sent) until that one ends,
 *   first come, first served. A server thus sees one request at a time
 *   from each client endpoint, as from a MINIX process. SENDRECs to
 *   different destinations run in parallel.
 *   When the destination dies, each thread waiting for its reply gets
 *   -MXSYS_EDEADSRCDST once; a SENDREC held behind it then goes to the next
 *   process of that endpoint. The turn belongs to the slot, not to the
 *   process: when the caller's process dies while X holds its request,
 *   X's answer is still owed to the slot, and is nobody's. It is dropped
 *   when it comes (X's send gets -MXSYS_EDEADSRCDST: the process it answers is
 *   dead), and until then a SENDREC to X of the slot's next process waits,
 *   so that it never takes that answer for its own. X's death or CLEAR
 *   ends the wait too. The answer owed counts for UPDATE's quiescence
 *   rule: X owes a reply. So a server answers every SENDREC it took, also
 *   one whose caller it knows to be dead: a request it never answers
 *   keeps the caller's endpoint from reaching it with SENDREC again. A signal interrupts and restarts each
 *   thread's call on its own (above); the parked reply belongs to the
 *   thread that sent the request. UPDATE treats every thread's call as
 *   it treats the one call of a single thread (see its quiescence rule);
 *   a held SENDREC counts as blocked sending. The module cannot see a
 *   thread that runs outside IPC: whether such threads are idle is for
 *   the service to say (the live-update protocol's prepare state).
 *
 * SIGNALS
 *
 *   Every slot has a signal manager (struct mxsys_priv sig_mgr): an
 *   endpoint (RS when SET_SYS is given MXSYS_NONE), MXSYS_SELF, or, for RS
 *   itself, none. A manager slot that is freed is replaced by RS.
 *
 *   Routing. A signal that Linux generates for a bound process whose slot
 *   has a manager, and that the process has blocked (in every thread, for
 *   a process-directed signal) and not set to SIG_IGN, is routed: it stays
 *   pending in Linux and the module records it for the slot, as MINIX's
 *   cause_sig(). (libsef blocks every catchable signal at startup.) Signals
 *   the process has not blocked are delivered as usual and not routed; so
 *   SIGKILL, SIGSTOP and synchronous faults, which cannot be blocked, are
 *   never routed: they show up as a death (or a stop). A signal the kernel
 *   drops is not routed either.
 *   - Managed by another slot: the signal is added to the slot's pending
 *     set. If the slot had no signals waiting for its manager, the manager
 *     gets a notify from MXSYS_SYSTEM, and the slot is frozen: its new IPC
 *     calls wait until the manager ends the signals with ENDKSIG. A dead
 *     manager's slot keeps the notify for its next process.
 *   - Its own manager (MXSYS_SELF, or its own endpoint): the signal
 *     reaches the slot itself in a notify from MXSYS_SYSTEM whose
 *     m_u64[MXSYS_NOTIFY_SIGSET] holds it (bit n - 1 for signal n); the
 *     notify that carries a set clears it. The slot is not frozen.
 *     Exception, as in MINIX: a lethal signal (SIGILL, SIGBUS, SIGFPE,
 *     SIGSEGV, SIGABRT) while the backup manager (bak_sig_mgr) has a live
 *     process makes the backup the slot's manager for good (bak_sig_mgr
 *     becomes NONE, and the backup is allowed to run) and is routed to it
 *     as above. Without a live backup the slot gets the lethal signal
 *     itself.
 *
 *   Deaths go to the same manager. A slot that is its own manager hands
 *   over at its death to its live backup as above, else to RS, so that
 *   its death is never lost. A dead slot is not frozen; its own signals
 *   not yet received are dropped, routed signals not yet pulled stay.
 *
 *   MXSYS_IOC_GETKSIG  (bit MXSYS_KC_GETKSIG) the next record for a slot
 *                      whose manager is the caller, lowest slot first:
 *                      endpoint (MXSYS_NONE: nothing pending), pid. A slot
 *                      with routed signals gives sigset (and flags 0);
 *                      pulling clears the set, and later signals notify
 *                      the manager again. A slot with a death and no
 *                      signals gives MXSYS_KSIG_DEAD and exit_status
 *                      (wait(2) status); pulling clears it. Signals and a
 *                      death pending together come as two records, the
 *                      signals first.
 *   MXSYS_IOC_ENDKSIG  (bit MXSYS_KC_ENDKSIG, struct mxsys_endpoint_arg)
 *                      the manager is done with endpoint's signals: the
 *                      slot is unfrozen and its waiting calls go on,
 *                      unless new signals arrived since the pull (the
 *                      manager was notified of them; it stays frozen).
 *                      -EPERM if the caller is not endpoint's manager,
 *                      -EINVAL if the slot is not frozen. Ending a dead
 *                      slot succeeds and does nothing, so a manager may
 *                      end every record it pulled.
 *   MXSYS_IOC_KILL     (bit MXSYS_KC_KILL, struct mxsys_kill) send Linux
 *                      signal sig to the process bound to endpoint, by
 *                      endpoint, so a recycled pid is never hit. It is
 *                      routed like any signal: a blocked one comes back to
 *                      the manager, SIGKILL kills. The caller must be the
 *                      target's manager or RS (ROOT_SYS_PROC), else
 *                      -EPERM. sig outside 1..MXSYS_NSIG: -EINVAL; a bad
 *                      endpoint: -EINVAL or -MXSYS_EDEADEPT; a slot with no
 *                      live process (prepared or dead): -ESRCH.
 *   MXSYS_IOC_EXIT     (bit MXSYS_KC_EXIT) MINIX's sys_exit: routes
 *                      SIGABRT for the caller as above (no Linux signal is
 *                      sent) and returns 0. Call it just before exiting;
 *                      the death is reported on its own, after it.
 *
 * KERNEL CALLS (each checked against the caller's call mask,
 * bit MXSYS_KC_*: -MXSYS_ECALLDENIED when not set)
 *
 *   MXSYS_IOC_WHOAMI   own endpoint, name, privilege flags, init flags.
 *                      Always allowed; -EPERM on a file not bound to a
 *                      slot.
 *   MXSYS_IOC_RS_CLAIM bind the (unbound, CAP_SYS_ADMIN) caller to the RS
 *                      slot with flags ROOT_SYS_PROC | SYS_PROC, every
 *                      kernel call and a full send mask. -EBUSY if a live
 *                      process holds it.
 *   MXSYS_IOC_PRIVCTL  sys_privctl (struct mxsys_privctl), for system
 *                      processes only (flag SYS_PROC, else -EPERM). An
 *                      unknown request gives -EINVAL; a target endpoint
 *                      whose slot is free or stale -MXSYS_EDEADEPT, one that
 *                      names no slot -EINVAL.
 *     SET_SYS  prepare a slot for thread group pid. With endpoint NONE a
 *              slot is allocated (the static slot `slot`, or any dynamic
 *              one with MXSYS_SLOT_DYNAMIC); with an endpoint, that dead
 *              (or never bound) slot is re-prepared for a new pid and keeps
 *              its endpoint. The slot is not yet allowed. Returns the
 *              endpoint. Send masks are kept symmetric: if A may send to B,
 *              B may send to A.
 *     ALLOW    let the slot's process run its IPC.
 *     DISALLOW stop it again (its IPC calls block).
 *     YIELD    allow the slot and disallow the caller (RS handing over
 *              to a new RS): the caller's next IPC call blocks until it
 *              is allowed again.
 *     CLEAR_IPC_REFS  every call blocked sending to the slot, or waiting
 *              for a message or a reply from it, fails with -MXSYS_EDEADSRCDST.
 *              Asynchronous messages and notifications for it stay.
 *     UPDATE_SYS  give a slot in use (in any state) new privileges, as
 *              SET_SYS does: flags, init flags, signal managers, call
 *              mask, name; its send mask only grows.
 *     With SET_SYS and UPDATE_SYS, priv must have only known flags and
 *     call bits and a NUL-terminated name (else -EINVAL), and nobody hands
 *     out what it lacks: a call bit the caller's own mask has not, or
 *     ROOT_SYS_PROC from a caller without it, gives -EPERM. Only a
 *     ROOT_SYS_PROC caller may act on a ROOT_SYS_PROC slot (RS's) with
 *     any of these requests or UPDATE (else -EPERM). sig_mgr NONE
 *     (or 0) means RS. DYN_PRIV_ID is the module's to set: on a dynamic
 *     slot, never on a static one, whatever priv says.
 *   MXSYS_IOC_GETKSIG  sys_getksig: the next event of a slot managed by
 *                      the caller (struct mxsys_ksig; see SIGNALS).
 *   MXSYS_IOC_ENDKSIG  sys_endksig: the manager is done with endpoint's
 *                      signals (see SIGNALS).
 *   MXSYS_IOC_KILL     sys_kill (struct mxsys_kill; see SIGNALS).
 *   MXSYS_IOC_EXIT     sys_exit, no argument (see SIGNALS).
 *   MXSYS_IOC_CLEAR    sys_clear: free a slot; every process still blocked
 *                      on it gets -MXSYS_EDEADSRCDST; the generation grows.
 *   MXSYS_IOC_UPDATE   sys_update (struct mxsys_update), for system
 *                      processes only (else -EPERM): exchange the
 *                      processes behind slots src and dst. A restart or
 *                      live update prepares the new process in a spare
 *                      slot and swaps it in; a rollback swaps again.
 *                      Moving with the process: its binding, whether it
 *                      is allowed, its blocked calls (a send still queued
 *                      now comes from its new endpoint), its privileges
 *                      (flags, init flags, call mask, signal managers,
 *                      name) and its grant table. Staying with the slot:
 *                      the endpoint, the callers queued on it, pending
 *                      notifications, signals and alarm, a death report
 *                      not yet pulled, the asynchronous messages it sent,
 *                      and its send mask, which dst first extends with
 *                      every destination of src (each of which may answer
 *                      dst). Both slots must be quiescent: prepared,
 *                      dead, or with a process that owes no reply to a
 *                      SENDREC it took and is either not allowed (not
 *                      yet, DISALLOWed, or frozen by a signal for its
 *                      manager) or has every call blocked receiving
 *                      (typically the SENDREC to RS that said it is
 *                      ready). A DISALLOWed process may still be running
 *                      between two calls: only the service's own word
 *                      (the live-update protocol) says it is idle. Errors: -EINVAL pad or an unknown
 *                      flag, src == dst, an endpoint that names no slot;
 *                      -MXSYS_EDEADEPT a free or stale slot; -EPERM a slot
 *                      without SYS_PROC, or RS's slot swapped by anyone
 *                      but RS; -EBUSY a process that runs, is blocked
 *                      sending or owes a reply. MXSYS_UPD_ROLLBACK is
 *                      accepted as in MINIX and changes nothing here: a
 *                      blocked send moves with its process either way.
 *   MXSYS_IOC_SETALARM sys_setalarm (struct mxsys_alarm): one alarm per
 *                      slot, which ends in a notify from MXSYS_CLOCK
 *                      (coalesced like any notify, stamped when it rang).
 *                      ms is relative to now, or with MXSYS_ALARM_ABS a
 *                      CLOCK_MONOTONIC time in ms (a past one rings at
 *                      once); 0 cancels. Arming replaces the alarm. ms
 *                      comes back as what was left of the old one, in ms
 *                      rounded up (0: none was armed). The alarm belongs
 *                      to the endpoint: it survives the death of the
 *                      process (the next process there gets the notify)
 *                      and a swap; CLEAR stops it. -EINVAL: pad, an
 *                      unknown flag, ms beyond KTIME_MAX ns.
 *
 *   Memory grants, as MINIX's safecopies (bit MXSYS_KC_SETGRANT):
 *   MXSYS_IOC_SETGRANT (struct mxsys_grant)
 *     DIRECT   grant endpoint grantee (a slot in use, in any state, or
 *              MXSYS_ANY: every caller) access to [addr, addr + len) of
 *              the caller's own memory: MXSYS_CPF_READ to copy from it,
 *              MXSYS_CPF_WRITE to copy to it, at least one. The grant id
 *              (>= 0) comes back in grant, whose input is ignored. The
 *              range is not checked against the caller's mappings until a
 *              copy. At most MXSYS_GRANT_MAX grants are live per process.
 *     REVOKE   revoke the caller's grant whose id is in grant; grantee,
 *              access, addr and len must be 0.
 *              Ids are opaque, and a revoked id stays invalid: an id is
 *              (generation << 10) | entry, revoking bumps the entry's
 *              generation and free entries are reused round robin, so an
 *              id can name a live grant again only after its entry was
 *              reused 2^21 times. The grant table belongs to the process,
 *              not to the slot: it moves with the process when UPDATE
 *              swaps slots, and it is gone when the process dies or
 *              exec()s. A new process in the slot starts with an empty
 *              table and may hand out the same ids again; a grant names
 *              its grantee, so an old holder of the id gets nothing.
 *   MXSYS_IOC_SAFECOPYFROM, MXSYS_IOC_SAFECOPYTO (struct mxsys_safecopy;
 *   bits MXSYS_KC_SAFECOPYFROM, MXSYS_KC_SAFECOPYTO)
 *              the caller, the grantee, copies len bytes from (FROM) or
 *              to (TO) [offset, offset + len) of the grant with id grant
 *              of endpoint granter, to or from its own buffer at addr.
 *              The grant is checked once, before the first byte moves (a
 *              revoke racing with a copy does not stop it); only memory
 *              the granter could itself read (or write) is reached. A
 *              process may use a grant it made to itself (or to ANY) like
 *              any other. len 0 checks the grant and copies nothing.
 *              After an error, part of the range may have been copied.
 *
 *   Grant errors (besides -EFAULT for the argument, -EPERM for an unbound
 *   caller and -MXSYS_ECALLDENIED):
 *     SETGRANT -EINVAL     unknown request. DIRECT: access 0 or unknown
 *                          bits, len 0, addr + len overflows or leaves
 *                          the user address space, grantee is not an
 *                          endpoint. REVOKE: a nonzero field, or grant is
 *                          not a live grant of the caller.
 *              -MXSYS_EDEADEPT   DIRECT: the grantee's slot is free or stale.
 *              -ENOSPC     DIRECT: MXSYS_GRANT_MAX grants are live.
 *              -ENOMEM     DIRECT: no memory for the table.
 *              -EFAULT     DIRECT: grant cannot be stored (the new grant
 *                          is revoked again).
 *     SAFECOPY -EINVAL     granter is not an endpoint; offset + len goes
 *                          beyond the grant or overflows.
 *              -MXSYS_EDEADEPT   the granter's slot is free or stale.
 *              -MXSYS_EDEADSRCDST the granter's slot has no live process
 *                          (prepared or dead), or its process has exited
 *                          or exec()d since it made the grant.
 *              -EPERM      no such grant (never made, revoked, or made by
 *                          an earlier process of the slot), not granted to
 *                          the caller, or without the access needed.
 *              -EFAULT     the caller's buffer, or granted memory that the
 *                          granter cannot access (unmapped, protected).
 *              -EINTR      a fatal signal ended a long copy.
 *
 * THE FD STORE (bit MXSYS_KC_FDSTORE, in MXSYS_KC_BASIC)
 *
 *   Every slot keeps a store of open files under names, for its endpoint:
 *   the module holds a reference to each file, so what it refers to (a
 *   CUSE session, a listening socket and its connections, a memfd of
 *   state) outlives the process that stored it. The store belongs to the
 *   endpoint, not to the process: it stays when the process dies, when
 *   the slot is prepared for a new process of the same endpoint (a
 *   restart), when UPDATE swaps processes (it stays with the slot, as
 *   queued messages do), and when RS dies. Only CLEAR closes it. The next
 *   process of the endpoint finds the files in place before it runs.
 *   A process reaches only its own slot's store: the calls below act on
 *   the caller's slot (-EPERM for a file not bound to one).
 *
 *   Names are 1 to MXSYS_FD_NAME_LEN - 1 printable ASCII characters
 *   (0x21 to 0x7e) and a NUL. A store holds at most MXSYS_FD_MAX files.
 *
 *   MXSYS_IOC_FD_STORE  (struct mxsys_fd) keep the file open as fd under
 *                       name. The caller's fd stays its own. -EEXIST if
 *                       the name is taken, unless flags has
 *                       MXSYS_FD_REPLACE (the old file is closed);
 *                       -ENOSPC with MXSYS_FD_MAX files stored; -EBADF
 *                       for an fd that is not open (or O_PATH); -EINVAL
 *                       for a bad name, an unknown flag, or a file of
 *                       /dev/mxsys itself (its process would never be
 *                       released: a reference cycle through the module).
 *   MXSYS_IOC_FD_FETCH  (struct mxsys_fd, name in) a new descriptor of
 *                       the file named name, close-on-exec, in fd; the
 *                       file stays stored. -ENOENT if there is none;
 *                       -EMFILE when the caller has no free descriptor.
 *   MXSYS_IOC_FD_REMOVE (struct mxsys_fd, name in) close the stored file
 *                       (descriptors the process fetched stay open);
 *                       -ENOENT if there is none.
 *   MXSYS_IOC_FD_LIST   (struct mxsys_fd_list) count: the number of files
 *                       stored; name: the index-th name in the order they
 *                       were stored, or -ENOENT (count still set) for an
 *                       index >= count. Not a snapshot: a store that
 *                       changes between two calls is seen as it is.
 *   For every call, flags and pads that are not defined must be 0.
 *
 *   While any store holds a file, the module holds a reference to itself:
 *   rmmod fails with EBUSY until every slot with stored files is cleared.
 *   The slot table (MXSYS_CMD_SLOT_GET) gives each slot's MXSYS_A_FD_COUNT
 *   and, for one slot asked by endpoint or name, its names; the events
 *   FD_STORED and FD_CLOSED report changes.
 *
 * ERRORS
 *
 *   ioctls return 0 or -1 with errno. Where Linux has the error its value
 *   is used; MINIX's own errors are numbered above 200, below.
 *
 * GENERIC NETLINK FAMILY "mxsys" (MXSYS_GENL_NAME, initial netns only)
 *
 *   Every command has a strict attribute policy: an attribute the command
 *   does not take or that is unknown, a wrong length (integers exactly),
 *   a string without its NUL, trailing bytes, NLA_F_NESTED on a plain
 *   attribute, a non-zero reserved genlmsghdr byte or netlink flags other
 *   than REQUEST, ACK, ECHO and DUMP fail the whole request with -EINVAL;
 *   a value or length out of range with -ERANGE. The error ACK carries a
 *   message for a socket with NETLINK_EXT_ACK. An unknown command, or a
 *   dump of a command that has none: -EOPNOTSUPP.
 *
 *   MXSYS_CMD_RS_REGISTER   (RS -> module; CAP_NET_ADMIN, and the caller
 *                           must be the process bound to the RS slot, else
 *                           -EPERM; no attributes) the sending socket
 *                           becomes the relay target, replacing an earlier
 *                           one. Closing the registered socket unregisters.
 *   MXSYS_CMD_SERVICE_REQUEST (any user -> module -> RS) attribute
 *                           MXSYS_A_PAYLOAD (opaque to the module, at most
 *                           MXSYS_PAYLOAD_MAX bytes). The module forwards it
 *                           to RS with MXSYS_A_REQUEST_ID, MXSYS_A_UID and
 *                           MXSYS_A_PID (the requester's credentials).
 *                           -ESRCH when no RS is registered. No reply is sent
 *                           until RS answers (the request is not ACKed).
 *   MXSYS_CMD_SERVICE_REPLY (RS -> module -> requester; CAP_NET_ADMIN and
 *                           the RS process, else -EPERM) MXSYS_A_REQUEST_ID
 *                           and either MXSYS_A_PAYLOAD or MXSYS_A_ERROR (a
 *                           negative errno; neither or both: -EINVAL; an
 *                           unknown request id, or one whose requester has
 *                           closed its socket: -ENOENT). The module sends
 *                           it to the requesting socket as a
 *                           MXSYS_CMD_SERVICE_REPLY with the sequence number
 *                           of the original request. Replies may come late.
 *                           When the RS socket a request was relayed to
 *                           closes first (even after RS registered another
 *                           one), the requester gets a
 *                           MXSYS_CMD_SERVICE_REPLY with MXSYS_A_ERROR
 *                           (-ESRCH) instead of a payload.
 *   MXSYS_CMD_SLOT_GET      (any user, as /proc; answered by the module, so
 *                           it works without RS) the slot table.
 *                           With NLM_F_DUMP (no attributes, else -EINVAL):
 *                           one message per slot that is not free, in slot
 *                           order, then NLMSG_DONE. Each message is one
 *                           slot as it was when read; the dump as a whole
 *                           is not an atomic snapshot.
 *                           Without NLM_F_DUMP: the slot named by exactly
 *                           one of MXSYS_A_ENDPOINT and MXSYS_A_NAME (the
 *                           lowest slot of that name), else -EINVAL. A free
 *                           slot, a stale endpoint or an unknown name:
 *                           -ENOENT; an endpoint that cannot name a slot:
 *                           -EINVAL (-ERANGE if negative).
 *                           A slot message has MXSYS_A_SLOT, MXSYS_A_ENDPOINT,
 *                           MXSYS_A_STATE (MXSYS_SLOT_STATE_*),
 *                           MXSYS_A_NAME, MXSYS_A_FLAGS, MXSYS_A_ALLOWED,
 *                           MXSYS_A_SIG_MGR, MXSYS_A_BAK_SIG_MGR,
 *                           MXSYS_A_CALL_MASK, MXSYS_A_SIG_PENDING,
 *                           MXSYS_A_FD_COUNT, MXSYS_A_PID,
 *                           MXSYS_A_DEATH_PENDING (1 while a death waits to
 *                           be pulled with GETKSIG) and, for a dead slot,
 *                           MXSYS_A_STATUS (the wait(2) status of the
 *                           death). A dead slot with DEATH_PENDING 0 had its
 *                           death pulled: a new RS that finds such a slot
 *                           it did not see die knows its predecessor took
 *                           the death and never handled it. An answer about one slot (not a dump)
 *                           also has one MXSYS_A_FD_NAME per stored file,
 *                           in the order they were stored.
 *                           MXSYS_A_PID is the process the slot is
 *                           prepared for or bound to, in the requester's
 *                           pid namespace: 0 if it is not visible there,
 *                           and 0 for a dead slot (the pid may be reused).
 *   MXSYS_CMD_SLOT_EVENT    (module -> multicast group
 *                           MXSYS_GENL_MCGRP_EVENTS; joining it needs
 *                           CAP_NET_ADMIN, as events carry pids and exit
 *                           statuses) one message per change of a slot:
 *                           MXSYS_A_EVENT (MXSYS_EVENT_*), MXSYS_A_ENDPOINT,
 *                           MXSYS_A_TIMESTAMP (ns, CLOCK_MONOTONIC, of the
 *                           change), MXSYS_A_SEQ (1, 2, ... since the module
 *                           was loaded), and by event:
 *                             BOUND    a process bound the slot (open of
 *                                      /dev/mxsys, RS_CLAIM): MXSYS_A_PID
 *                             DIED     the process died or released its
 *                                      file: MXSYS_A_PID, MXSYS_A_STATUS
 *                             SWAPPED  UPDATE exchanged the processes of
 *                                      MXSYS_A_ENDPOINT (src) and
 *                                      MXSYS_A_OTHER (dst); MXSYS_A_PID: the
 *                                      process now behind src
 *                             CLEARED  CLEAR freed the slot
 *                             FD_STORED  a file was stored in the slot's
 *                                      fd store: MXSYS_A_FD_NAME
 *                             FD_CLOSED  a stored file was closed (removed,
 *                                      replaced or cleared): MXSYS_A_FD_NAME
 *                           Pids are in the initial pid namespace. Events
 *                           come in the order of the changes: MXSYS_A_SEQ
 *                           grows by one, timestamps never decrease. A gap
 *                           in MXSYS_A_SEQ means events were lost (the
 *                           listener's receive buffer overflowed, and
 *                           recv() reports ENOBUFS once); re-read the
 *                           table with a dump. Not a command user space
 *                           may send (-EOPNOTSUPP).
 */
#ifndef _UAPI_MXSYS_H
#define _UAPI_MXSYS_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MXSYS_DEVICE_NAME	"mxsys"

/* Endpoints. */
#define MXSYS_GENERATION_SHIFT	15
#define MXSYS_SLOT_MASK		((1 << MXSYS_GENERATION_SHIFT) - 1)
#define MXSYS_ENDPOINT(gen, slot) \
	((__s32)(((gen) << MXSYS_GENERATION_SHIFT) | (slot)))
#define MXSYS_ENDPOINT_SLOT(ep)	((ep) & MXSYS_SLOT_MASK)
#define MXSYS_ENDPOINT_GEN(ep)	((ep) >> MXSYS_GENERATION_SHIFT)
#define MXSYS_MAX_GENERATION	0xffff

#define MXSYS_ANY		0x7ace
#define MXSYS_NONE		0x6ace
#define MXSYS_SELF		0x8ace
#define MXSYS_KERNEL		(-1)
#define MXSYS_SYSTEM		(-2)
#define MXSYS_CLOCK		(-3)

#define MXSYS_MAX_SLOTS		2048
#define MXSYS_NR_STATIC_SLOTS	8
#define MXSYS_RS_SLOT		2
#define MXSYS_DS_SLOT		6
#define MXSYS_RS_ENDPOINT	MXSYS_ENDPOINT(0, MXSYS_RS_SLOT)
#define MXSYS_DS_ENDPOINT	MXSYS_ENDPOINT(0, MXSYS_DS_SLOT)
#define MXSYS_SLOT_DYNAMIC	0xffffffffU

/*
 * MINIX's errors that Linux does not have (libsef's <minix/com.h> gives
 * them their MINIX names: EDEADSRCDST for MXSYS_EDEADSRCDST, ...).
 */
#define MXSYS_ENOTREADY		201
#define MXSYS_EDEADSRCDST	202
#define MXSYS_EDONTREPLY	203
#define MXSYS_EGENERIC		204
#define MXSYS_EBADREQUEST	207
#define MXSYS_ELOCKED		208
#define MXSYS_EBADCALL		209
#define MXSYS_ECALLDENIED	210
#define MXSYS_ETRAPDENIED	211
#define MXSYS_EDEADEPT		215

/* The 64-byte MINIX message. */
#define MXSYS_MSG_PAYLOAD	56
struct mxsys_message {
	__s32 m_source;
	__s32 m_type;
	/*
	 * __extension__: an anonymous union is C11, and this header is
	 * also for C99 programs built with -pedantic.
	 */
	__extension__ union {
		__u8 m_payload[MXSYS_MSG_PAYLOAD];
		__u64 m_u64[MXSYS_MSG_PAYLOAD / 8];
	};
};

/* m_type of a notification; payload: m_u64[MXSYS_NOTIFY_TIMESTAMP], the
 * time of the notify (ns, CLOCK_MONOTONIC), then for a notify from
 * MXSYS_SYSTEM m_u64[MXSYS_NOTIFY_SIGSET], the pending signal set
 * (<minix/ipc.h>: m_notify_timestamp, m_notify_sigset).
 */
#define MXSYS_NOTIFY_MESSAGE	0x1000
#define MXSYS_NOTIFY_TIMESTAMP	0
#define MXSYS_NOTIFY_SIGSET	1

/* IPC call numbers, as MINIX's; also the low byte of a receive status. */
#define MXSYS_CALL_SEND		1
#define MXSYS_CALL_RECEIVE	2
#define MXSYS_CALL_SENDREC	3
#define MXSYS_CALL_NOTIFY	4
#define MXSYS_CALL_SENDNB	5
#define MXSYS_CALL_SENDA	16
#define MXSYS_STATUS_CALL(status)	((status) & 0xff)

#define MXSYS_SENDA_MAX		64

struct mxsys_ipc {
	__s32 endpoint;		/* destination, or source (MXSYS_ANY) */
	__u32 status;		/* out (receive): MXSYS_CALL_* of the sender */
	struct mxsys_message msg;
};

/* Privilege flags (MINIX s_flags). */
#define MXSYS_PREEMPTIBLE	0x002
#define MXSYS_DYN_PRIV_ID	0x008
#define MXSYS_SYS_PROC		0x010
#define MXSYS_ROOT_SYS_PROC	0x100
#define MXSYS_LU_SYS_PROC	0x400
#define MXSYS_RST_SYS_PROC	0x800

/* Kernel calls: bit numbers in the call mask. */
#define MXSYS_KC_PRIVCTL	0
#define MXSYS_KC_GETKSIG	1
#define MXSYS_KC_ENDKSIG	2
#define MXSYS_KC_CLEAR		3
#define MXSYS_KC_KILL		4
#define MXSYS_KC_UPDATE		5
#define MXSYS_KC_SETALARM	6
#define MXSYS_KC_SAFECOPYFROM	7
#define MXSYS_KC_SAFECOPYTO	8
#define MXSYS_KC_SETGRANT	9
#define MXSYS_KC_EXIT		10
#define MXSYS_KC_FDSTORE	11
#define MXSYS_KC_COUNT		12
#define MXSYS_KC_ALL		((1ULL << MXSYS_KC_COUNT) - 1)
#define MXSYS_KC_BASIC		((1ULL << MXSYS_KC_SETALARM) | \
				 (1ULL << MXSYS_KC_SAFECOPYFROM) | \
				 (1ULL << MXSYS_KC_SAFECOPYTO) | \
				 (1ULL << MXSYS_KC_SETGRANT) | \
				 (1ULL << MXSYS_KC_EXIT) | \
				 (1ULL << MXSYS_KC_FDSTORE))

#define MXSYS_NAME_LEN		16
#define MXSYS_SEND_MASK_WORDS	(MXSYS_MAX_SLOTS / 64)

struct mxsys_priv {
	__u32 flags;		/* MXSYS_SYS_PROC, ... */
	__u32 init_flags;	/* handed back by WHOAMI (SEF init flags) */
	__s32 sig_mgr;		/* endpoint, or MXSYS_SELF; NONE = RS */
	__s32 bak_sig_mgr;	/* MXSYS_NONE when there is none */
	__u64 call_mask;	/* bit MXSYS_KC_* */
	__u64 send_mask[MXSYS_SEND_MASK_WORDS];	/* bit = destination slot */
	char name[MXSYS_NAME_LEN];	/* NUL-terminated */
};

#define MXSYS_PRIV_ALLOW	1
#define MXSYS_PRIV_DISALLOW	2
#define MXSYS_PRIV_SET_SYS	3
#define MXSYS_PRIV_YIELD	4
#define MXSYS_PRIV_CLEAR_IPC_REFS	5
#define MXSYS_PRIV_UPDATE_SYS	6

struct mxsys_privctl {
	__s32 endpoint;		/* in: target or MXSYS_NONE; out: endpoint */
	__u32 request;		/* MXSYS_PRIV_* */
	__s32 pid;		/* SET_SYS: thread group that may bind */
	__u32 slot;		/* SET_SYS, new slot: index or MXSYS_SLOT_DYNAMIC */
	struct mxsys_priv priv;	/* SET_SYS */
};

struct mxsys_whoami {
	__s32 endpoint;
	__u32 flags;
	__u32 init_flags;
	__u32 pad;		/* zero */
	char name[MXSYS_NAME_LEN];
};

#define MXSYS_KSIG_DEAD		0x1
#define MXSYS_SIGBIT(sig)	(1ULL << ((sig) - 1))
#define MXSYS_NSIG		64

struct mxsys_ksig {
	__s32 endpoint;		/* MXSYS_NONE: nothing pending */
	__u32 flags;		/* MXSYS_KSIG_DEAD */
	__u64 sigset;		/* bit (n - 1) for signal n */
	__s32 exit_status;	/* wait(2) status, valid with MXSYS_KSIG_DEAD */
	__s32 pid;		/* the process the event is about */
};

struct mxsys_endpoint_arg {
	__s32 endpoint;
	__u32 pad;		/* zero */
};

struct mxsys_kill {
	__s32 endpoint;
	__s32 sig;		/* 1 .. MXSYS_NSIG */
};

#define MXSYS_UPD_ROLLBACK	0x1

struct mxsys_update {
	__s32 src;
	__s32 dst;
	__u32 flags;		/* MXSYS_UPD_* */
	__u32 pad;		/* zero */
};

#define MXSYS_ALARM_ABS		0x1

struct mxsys_alarm {
	__u64 ms;		/* in: 0 cancels; out: ms left of the old one */
	__u32 flags;		/* MXSYS_ALARM_ABS: ms is CLOCK_MONOTONIC */
	__u32 pad;		/* zero */
};

/* Grants. */
#define MXSYS_GRANT_INVALID	(-1)
#define MXSYS_GRANT_MAX		1024	/* live grants per process */
#define MXSYS_CPF_READ		0x1	/* the grantee may read (copy from) */
#define MXSYS_CPF_WRITE		0x2	/* the grantee may write (copy to) */
#define MXSYS_GRANT_DIRECT	1
#define MXSYS_GRANT_REVOKE	2

struct mxsys_grant {
	__u32 request;		/* MXSYS_GRANT_DIRECT or _REVOKE */
	__s32 grant;		/* DIRECT: out; REVOKE: in */
	__s32 grantee;		/* DIRECT: endpoint, or MXSYS_ANY */
	__u32 access;		/* DIRECT: MXSYS_CPF_* */
	__u64 addr;		/* DIRECT: user address in the granter */
	__u64 len;		/* DIRECT: bytes */
};

struct mxsys_safecopy {
	__s32 granter;		/* endpoint that made the grant */
	__s32 grant;
	__u64 offset;		/* into the granted range */
	__u64 addr;		/* user address in the caller */
	__u64 len;		/* bytes */
};

/* The fd store. */
#define MXSYS_FD_NAME_LEN	32	/* with the NUL */
#define MXSYS_FD_MAX		1024	/* files per slot */
#define MXSYS_FD_REPLACE	0x1	/* STORE: close a file of the same name */

struct mxsys_fd {
	char name[MXSYS_FD_NAME_LEN];	/* NUL-terminated */
	__s32 fd;		/* STORE: in; FETCH: out; REMOVE: 0 */
	__u32 flags;		/* STORE: MXSYS_FD_REPLACE; else 0 */
};

struct mxsys_fd_list {
	__u32 index;		/* in */
	__u32 count;		/* out: files in the store */
	char name[MXSYS_FD_NAME_LEN];	/* out: the index-th */
};

#define MXSYS_IOC_MAGIC		0xB8
#define MXSYS_IOC_SEND		_IOW(MXSYS_IOC_MAGIC, MXSYS_CALL_SEND, struct mxsys_ipc)
#define MXSYS_IOC_RECEIVE	_IOWR(MXSYS_IOC_MAGIC, MXSYS_CALL_RECEIVE, struct mxsys_ipc)
#define MXSYS_IOC_SENDREC	_IOWR(MXSYS_IOC_MAGIC, MXSYS_CALL_SENDREC, struct mxsys_ipc)
#define MXSYS_IOC_NOTIFY	_IOW(MXSYS_IOC_MAGIC, MXSYS_CALL_NOTIFY, struct mxsys_ipc)
#define MXSYS_IOC_SENDNB	_IOW(MXSYS_IOC_MAGIC, MXSYS_CALL_SENDNB, struct mxsys_ipc)
#define MXSYS_IOC_SENDA		_IOW(MXSYS_IOC_MAGIC, MXSYS_CALL_SENDA, struct mxsys_ipc)
#define MXSYS_IOC_SENDA_NOREPLY	_IOW(MXSYS_IOC_MAGIC, 0x11, struct mxsys_ipc)
#define MXSYS_IOC_WHOAMI	_IOR(MXSYS_IOC_MAGIC, 0x20, struct mxsys_whoami)
#define MXSYS_IOC_RS_CLAIM	_IOR(MXSYS_IOC_MAGIC, 0x21, struct mxsys_whoami)
#define MXSYS_IOC_PRIVCTL	_IOWR(MXSYS_IOC_MAGIC, 0x22, struct mxsys_privctl)
#define MXSYS_IOC_GETKSIG	_IOR(MXSYS_IOC_MAGIC, 0x23, struct mxsys_ksig)
#define MXSYS_IOC_ENDKSIG	_IOW(MXSYS_IOC_MAGIC, 0x24, struct mxsys_endpoint_arg)
#define MXSYS_IOC_CLEAR		_IOW(MXSYS_IOC_MAGIC, 0x25, struct mxsys_endpoint_arg)
#define MXSYS_IOC_KILL		_IOW(MXSYS_IOC_MAGIC, 0x26, struct mxsys_kill)
#define MXSYS_IOC_UPDATE	_IOW(MXSYS_IOC_MAGIC, 0x27, struct mxsys_update)
#define MXSYS_IOC_SETALARM	_IOWR(MXSYS_IOC_MAGIC, 0x28, struct mxsys_alarm)
#define MXSYS_IOC_SETGRANT	_IOWR(MXSYS_IOC_MAGIC, 0x29, struct mxsys_grant)
#define MXSYS_IOC_SAFECOPYFROM	_IOW(MXSYS_IOC_MAGIC, 0x2a, struct mxsys_safecopy)
#define MXSYS_IOC_SAFECOPYTO	_IOW(MXSYS_IOC_MAGIC, 0x2b, struct mxsys_safecopy)
#define MXSYS_IOC_EXIT		_IO(MXSYS_IOC_MAGIC, 0x2c)
#define MXSYS_IOC_FD_STORE	_IOW(MXSYS_IOC_MAGIC, 0x30, struct mxsys_fd)
#define MXSYS_IOC_FD_FETCH	_IOWR(MXSYS_IOC_MAGIC, 0x31, struct mxsys_fd)
#define MXSYS_IOC_FD_REMOVE	_IOW(MXSYS_IOC_MAGIC, 0x32, struct mxsys_fd)
#define MXSYS_IOC_FD_LIST	_IOWR(MXSYS_IOC_MAGIC, 0x33, struct mxsys_fd_list)

/* Generic netlink. */
#define MXSYS_GENL_NAME		"mxsys"
#define MXSYS_GENL_VERSION	1
#define MXSYS_GENL_MCGRP_EVENTS	"events"
#define MXSYS_PAYLOAD_MAX	4096

enum mxsys_cmd {
	MXSYS_CMD_UNSPEC,
	MXSYS_CMD_RS_REGISTER,
	MXSYS_CMD_SERVICE_REQUEST,
	MXSYS_CMD_SERVICE_REPLY,
	MXSYS_CMD_SLOT_GET,
	MXSYS_CMD_SLOT_EVENT,
	__MXSYS_CMD_MAX
};
#define MXSYS_CMD_MAX		(__MXSYS_CMD_MAX - 1)

enum mxsys_attr {
	MXSYS_A_UNSPEC,
	MXSYS_A_REQUEST_ID,	/* u32 */
	MXSYS_A_UID,		/* u32, requester's uid in the initial namespace */
	MXSYS_A_PID,		/* s32, requester's tgid */
	MXSYS_A_PAYLOAD,	/* binary, at most MXSYS_PAYLOAD_MAX */
	MXSYS_A_ERROR,		/* s32, negative errno from the module */
	MXSYS_A_ENDPOINT,	/* s32 */
	MXSYS_A_SLOT,		/* u32, slot index */
	MXSYS_A_STATE,		/* u32, MXSYS_SLOT_STATE_* */
	MXSYS_A_NAME,		/* string, at most MXSYS_NAME_LEN with NUL */
	MXSYS_A_FLAGS,		/* u32, privilege flags */
	MXSYS_A_ALLOWED,	/* u8, 1 when the slot may run IPC */
	MXSYS_A_SIG_MGR,	/* s32, signal manager endpoint */
	MXSYS_A_EVENT,		/* u32, MXSYS_EVENT_* */
	MXSYS_A_TIMESTAMP,	/* u64, ns, CLOCK_MONOTONIC */
	MXSYS_A_STATUS,		/* s32, wait(2) status of a death */
	MXSYS_A_OTHER,		/* s32, the other endpoint of a swap */
	MXSYS_A_SEQ,		/* u64, event sequence number */
	MXSYS_A_PAD,		/* alignment padding for u64 attributes */
	MXSYS_A_BAK_SIG_MGR,	/* s32, backup signal manager endpoint */
	MXSYS_A_CALL_MASK,	/* u64, kernel calls allowed, bit MXSYS_KC_* */
	MXSYS_A_SIG_PENDING,	/* u64, signals waiting for the manager */
	MXSYS_A_FD_COUNT,	/* u32, files in the slot's fd store */
	MXSYS_A_FD_NAME,	/* string, at most MXSYS_FD_NAME_LEN with NUL */
	MXSYS_A_DEATH_PENDING,	/* u8, 1: a death not yet pulled (GETKSIG) */
	__MXSYS_A_MAX
};
#define MXSYS_A_MAX		(__MXSYS_A_MAX - 1)

#define MXSYS_SLOT_STATE_FREE		0
#define MXSYS_SLOT_STATE_PREPARED	1
#define MXSYS_SLOT_STATE_BOUND		2
#define MXSYS_SLOT_STATE_DEAD		3

#define MXSYS_EVENT_BOUND	1
#define MXSYS_EVENT_DIED	2
#define MXSYS_EVENT_SWAPPED	3
#define MXSYS_EVENT_CLEARED	4
#define MXSYS_EVENT_FD_STORED	5
#define MXSYS_EVENT_FD_CLOSED	6

#endif /* _UAPI_MXSYS_H */
