/*
 * JNI shim between io.dflow.executor.mpi.MpiNative and the system's Open MPI.
 *
 * Each operation has two entry points: one over Java primitive arrays, held in JNI critical
 * regions for the length of the call (offsets in elements), and one over direct-buffer memory,
 * given as the address of its first element (from MpiNative.address, which is
 * GetDirectBufferAddress, plus a byte offset), so that a call over staged or user buffers
 * makes no JNI call at all besides its own. Datatype and op codes are the ordinals of
 * io.dflow.api.mpi.Datatype and Op. A source or destination of -1 means MPI_PROC_NULL. Every
 * MPI return code is checked; a failure throws io.dflow.api.mpi.MpiException once all critical
 * regions are released.
 */
#include <dlfcn.h>
#include <limits.h>
#include <jni.h>
#include <mpi.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_BYTE 0
#define TYPE_INT 1
#define TYPE_LONG 2
#define TYPE_DOUBLE 3

static char libmpi_error[512];

/*
 * System.load opens this library RTLD_LOCAL, so libmpi (a dependency) is not visible to the
 * MCA components Open MPI dlopens during MPI_Init; reopening it RTLD_GLOBAL fixes that.
 */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)vm;
  (void)reserved;
  const char *names[] = {"libmpi.so.40", "libmpi.so"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (dlopen(names[i], RTLD_NOW | RTLD_GLOBAL) != NULL) {
      libmpi_error[0] = '\0';
      return JNI_VERSION_1_8;
    }
    const char *e = dlerror();
    snprintf(libmpi_error, sizeof libmpi_error, "%s", e != NULL ? e : names[i]);
  }
  return JNI_VERSION_1_8;
}

static void throw_named(JNIEnv *env, const char *cls, const char *message) {
  if ((*env)->ExceptionCheck(env)) {
    return;
  }
  jclass c = (*env)->FindClass(env, cls);
  if (c != NULL) {
    (*env)->ThrowNew(env, c, message);
  }
}

static void throw_illegal(JNIEnv *env, const char *message) {
  throw_named(env, "java/lang/IllegalArgumentException", message);
}

/* Throws MpiException "<call> failed: <MPI's error string><detail>" unless rc is MPI_SUCCESS. */
static int check_detail(JNIEnv *env, int rc, const char *call, const char *detail) {
  if (rc == MPI_SUCCESS) {
    return 0;
  }
  char text[MPI_MAX_ERROR_STRING + 1];
  int len = 0;
  if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS) {
    snprintf(text, sizeof text, "MPI error code %d", rc);
  } else {
    text[len] = '\0';
  }
  char message[MPI_MAX_ERROR_STRING + 256];
  snprintf(message, sizeof message, "%s failed: %s%s", call, text, detail);
  throw_named(env, "io/dflow/api/mpi/MpiException", message);
  return 1;
}

static int check(JNIEnv *env, int rc, const char *call) {
  return check_detail(env, rc, call, "");
}

static int element_size(jint type) {
  switch (type) {
    case TYPE_BYTE: return 1;
    case TYPE_INT: return 4;
    case TYPE_LONG: return 8;
    case TYPE_DOUBLE: return 8;
    default: return 0;
  }
}

/* Signed char, not MPI_BYTE, for bytes: reductions are not defined over MPI_BYTE. */
static MPI_Datatype datatype(jint type) {
  switch (type) {
    case TYPE_BYTE: return MPI_SIGNED_CHAR;
    case TYPE_INT: return MPI_INT32_T;
    case TYPE_LONG: return MPI_INT64_T;
    case TYPE_DOUBLE: return MPI_DOUBLE;
    default: return MPI_DATATYPE_NULL;
  }
}

static MPI_Op op_of(jint op) {
  switch (op) {
    case 0: return MPI_SUM;
    case 1: return MPI_PROD;
    case 2: return MPI_MIN;
    case 3: return MPI_MAX;
    default: return MPI_OP_NULL;
  }
}

static int peer(jint rank) {
  return rank < 0 ? MPI_PROC_NULL : rank;
}

static int valid_type(JNIEnv *env, jint type) {
  if (element_size(type) == 0) {
    throw_illegal(env, "unknown datatype code");
    return 0;
  }
  return 1;
}

/* An array held in a JNI critical region. */
typedef struct {
  jarray array;
  void *base;
} pin_t;

/*
 * Pins array: the address of its element `offset`, or NULL (and an exception pending). No JNI
 * call but this one may come while another array is pinned, so callers check for null arrays
 * (present) before pinning any.
 */
static char *pin(JNIEnv *env, pin_t *p, jobject array, jint offset, jint type) {
  p->array = (jarray)array;
  p->base = NULL;
  p->base = (*env)->GetPrimitiveArrayCritical(env, p->array, NULL);
  if (p->base == NULL) {
    return NULL;
  }
  return (char *)p->base + (size_t)offset * (size_t)element_size(type);
}

static int present(JNIEnv *env, jobject array) {
  if (array == NULL) {
    throw_illegal(env, "null array");
    return 0;
  }
  return 1;
}

static void unpin(JNIEnv *env, pin_t *p, jint mode) {
  if (p->base != NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, p->array, p->base, mode);
    p->base = NULL;
  }
}

/* A buffer address from Java; 0 stands for "none". */
static char *at(jlong address) {
  return (char *)(intptr_t)address;
}

JNIEXPORT jlong JNICALL Java_io_dflow_executor_mpi_MpiNative_address(JNIEnv *env, jclass cls,
                                                                   jobject buffer) {
  (void)cls;
  char *base = buffer == NULL ? NULL : (*env)->GetDirectBufferAddress(env, buffer);
  if (base == NULL) {
    throw_illegal(env, "not a direct buffer");
  }
  return (jlong)(intptr_t)base;
}

/*
 * The signals the JVM needs for itself: implicit null checks, safepoint polls and the like
 * fault on purpose and the JVM's handler resumes the thread. UCX (Open MPI's pml/osc ucx,
 * chosen on InfiniBand machines) installs its own handlers for these when it loads, and the
 * first such fault then kills the rank; Open MPI itself hooks the signals listed in its
 * opal_signal parameter that have no handler yet (SIGABRT, in a JVM).
 */
static const int jvm_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
#define JVM_SIGNALS (sizeof jvm_signals / sizeof jvm_signals[0])

static int mpi_init_keeping_jvm_signals(int requested, int *provided) {
  /*
   * So that neither installs a handler: defaults only, a rank's environment that sets them
   * wins (and then setenv changes nothing, which also spares a concurrent getenv in another
   * thread). Open MPI's would take SIGABRT, which the JVM raises after writing its crash
   * report; UCX's would be live for the rest of MPI_Init before the restore below.
   */
  setenv("UCX_ERROR_SIGNALS", "", 0);
  setenv("OMPI_MCA_opal_signal", "", 0);
  struct sigaction before[JVM_SIGNALS];
  for (size_t i = 0; i < JVM_SIGNALS; i++) {
    sigaction(jvm_signals[i], NULL, &before[i]);
  }
  int rc = MPI_Init_thread(NULL, NULL, requested, provided);
  for (size_t i = 0; i < JVM_SIGNALS; i++) {
    struct sigaction now;
    if (sigaction(jvm_signals[i], NULL, &now) == 0 &&
        (now.sa_sigaction != before[i].sa_sigaction || now.sa_flags != before[i].sa_flags)) {
      sigaction(jvm_signals[i], &before[i], NULL);
      fprintf(stderr, "dflow: MPI_Init replaced the JVM's handler of signal %d; restored it\n",
              jvm_signals[i]);
    }
  }
  return rc;
}

/* single: MPI_THREAD_SINGLE rather than MPI_THREAD_SERIALIZED (see NativeCommunicator). */
JNIEXPORT jintArray JNICALL Java_io_dflow_executor_mpi_MpiNative_init(JNIEnv *env, jclass cls,
                                                                     jboolean single) {
  (void)cls;
  int requested = single ? MPI_THREAD_SINGLE : MPI_THREAD_SERIALIZED;
  if (libmpi_error[0] != '\0') {
    throw_named(env, "io/dflow/executor/mpi/MpiUnavailableException", libmpi_error);
    return NULL;
  }
  int initialized = 0;
  if (check(env, MPI_Initialized(&initialized), "MPI_Initialized")) {
    return NULL;
  }
  if (!initialized) {
    int provided = 0;
    if (check(env, mpi_init_keeping_jvm_signals(requested, &provided), "MPI_Init_thread")) {
      return NULL;
    }
    if (provided < requested) {
      char message[160];
      snprintf(message, sizeof message,
               "MPI_Init_thread failed: asked for thread level %d, the MPI library gives %d",
               requested, provided);
      throw_named(env, "io/dflow/api/mpi/MpiException", message);
      return NULL;
    }
  }
  if (check(env, MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN),
            "MPI_Comm_set_errhandler")) {
    return NULL;
  }
  jint rank_size[2];
  if (check(env, MPI_Comm_rank(MPI_COMM_WORLD, &rank_size[0]), "MPI_Comm_rank") ||
      check(env, MPI_Comm_size(MPI_COMM_WORLD, &rank_size[1]), "MPI_Comm_size")) {
    return NULL;
  }
  jintArray result = (*env)->NewIntArray(env, 2);
  if (result != NULL) {
    (*env)->SetIntArrayRegion(env, result, 0, 2, rank_size);
  }
  return result;
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_finish(JNIEnv *env, jclass cls) {
  (void)cls;
  int finalized = 0;
  if (check(env, MPI_Finalized(&finalized), "MPI_Finalized") || finalized) {
    return;
  }
  check(env, MPI_Finalize(), "MPI_Finalize");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_abort(JNIEnv *env, jclass cls,
                                                                jint code) {
  (void)cls;
  check(env, MPI_Abort(MPI_COMM_WORLD, code), "MPI_Abort");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_barrier(JNIEnv *env, jclass cls) {
  (void)cls;
  check(env, MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
}

/* ---- bcast ---- */

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_bcastArray(
    JNIEnv *env, jclass cls, jobject array, jint offset, jint count, jint type, jint root) {
  (void)cls;
  if (!valid_type(env, type)) return;
  if (!present(env, array)) return;
  pin_t p;
  char *buf = pin(env, &p, array, offset, type);
  if (buf == NULL) return;
  int rc = MPI_Bcast(buf, count, datatype(type), root, MPI_COMM_WORLD);
  unpin(env, &p, 0);
  check(env, rc, "MPI_Bcast");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_bcastBuffer(
    JNIEnv *env, jclass cls, jlong buf, jint count, jint type, jint root) {
  (void)cls;
  if (!valid_type(env, type)) return;
  check(env, MPI_Bcast(at(buf), count, datatype(type), root, MPI_COMM_WORLD), "MPI_Bcast");
}

/* ---- allreduce: a null (0) send reduces recv in place ---- */

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_allReduceArray(
    JNIEnv *env, jclass cls, jobject send, jint sendOffset, jobject recv, jint recvOffset,
    jint count, jint type, jint op) {
  (void)cls;
  if (!valid_type(env, type)) return;
  if (!present(env, recv)) return;
  pin_t s = {0}, r = {0};
  char *in = MPI_IN_PLACE;
  if (send != NULL && (in = pin(env, &s, send, sendOffset, type)) == NULL) return;
  char *out = pin(env, &r, recv, recvOffset, type);
  if (out == NULL) {
    unpin(env, &s, JNI_ABORT);
    return;
  }
  int rc = MPI_Allreduce(in, out, count, datatype(type), op_of(op), MPI_COMM_WORLD);
  unpin(env, &r, 0);
  unpin(env, &s, JNI_ABORT);
  check(env, rc, "MPI_Allreduce");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_allReduceBuffer(
    JNIEnv *env, jclass cls, jlong send, jlong recv, jint count, jint type, jint op) {
  (void)cls;
  if (!valid_type(env, type)) return;
  check(env,
        MPI_Allreduce(send ? at(send) : MPI_IN_PLACE, at(recv), count, datatype(type),
                      op_of(op), MPI_COMM_WORLD),
        "MPI_Allreduce");
}

/* ---- allgather: count is per rank; a null (0) send of the buffer form gathers in place ---- */

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_allGatherArray(
    JNIEnv *env, jclass cls, jobject send, jint sendOffset, jobject recv, jint recvOffset,
    jint count, jint type) {
  (void)cls;
  if (!valid_type(env, type)) return;
  if (!(present(env, send) && present(env, recv))) return;
  pin_t s = {0}, r = {0};
  char *in = pin(env, &s, send, sendOffset, type);
  if (in == NULL) return;
  char *out = pin(env, &r, recv, recvOffset, type);
  if (out == NULL) {
    unpin(env, &s, JNI_ABORT);
    return;
  }
  MPI_Datatype t = datatype(type);
  int rc = MPI_Allgather(in, count, t, out, count, t, MPI_COMM_WORLD);
  unpin(env, &r, 0);
  unpin(env, &s, JNI_ABORT);
  check(env, rc, "MPI_Allgather");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_allGatherBuffer(
    JNIEnv *env, jclass cls, jlong send, jlong recv, jint count, jint type) {
  (void)cls;
  if (!valid_type(env, type)) return;
  MPI_Datatype t = datatype(type);
  check(env, MPI_Allgather(send ? at(send) : MPI_IN_PLACE, count, t, at(recv), count, t,
                           MPI_COMM_WORLD),
        "MPI_Allgather");
}

/* ---- gather: count is per rank; recv is null except at the root, where a null (0) send of
 * the buffer form gathers in place ---- */

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_gatherArray(
    JNIEnv *env, jclass cls, jobject send, jint sendOffset, jobject recv, jint recvOffset,
    jint count, jint type, jint root) {
  (void)cls;
  if (!valid_type(env, type)) return;
  if (!present(env, send)) return;
  pin_t s = {0}, r = {0};
  char *in = pin(env, &s, send, sendOffset, type);
  if (in == NULL) return;
  char *out = NULL;
  if (recv != NULL && (out = pin(env, &r, recv, recvOffset, type)) == NULL) {
    unpin(env, &s, JNI_ABORT);
    return;
  }
  MPI_Datatype t = datatype(type);
  int rc = MPI_Gather(in, count, t, out, count, t, root, MPI_COMM_WORLD);
  unpin(env, &r, 0);
  unpin(env, &s, JNI_ABORT);
  check(env, rc, "MPI_Gather");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_gatherBuffer(
    JNIEnv *env, jclass cls, jlong send, jlong recv, jint count, jint type, jint root) {
  (void)cls;
  if (!valid_type(env, type)) return;
  MPI_Datatype t = datatype(type);
  check(env, MPI_Gather(send ? at(send) : MPI_IN_PLACE, count, t, at(recv), count, t, root,
                        MPI_COMM_WORLD),
        "MPI_Gather");
}

/* ---- scatter: count is per rank; send is null except at the root, where a null (0) recv of
 * the buffer form scatters in place ---- */

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_scatterArray(
    JNIEnv *env, jclass cls, jobject send, jint sendOffset, jobject recv, jint recvOffset,
    jint count, jint type, jint root) {
  (void)cls;
  if (!valid_type(env, type)) return;
  if (!present(env, recv)) return;
  pin_t s = {0}, r = {0};
  char *in = NULL;
  if (send != NULL && (in = pin(env, &s, send, sendOffset, type)) == NULL) return;
  char *out = pin(env, &r, recv, recvOffset, type);
  if (out == NULL) {
    unpin(env, &s, JNI_ABORT);
    return;
  }
  MPI_Datatype t = datatype(type);
  int rc = MPI_Scatter(in, count, t, out, count, t, root, MPI_COMM_WORLD);
  unpin(env, &r, 0);
  unpin(env, &s, JNI_ABORT);
  check(env, rc, "MPI_Scatter");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_scatterBuffer(
    JNIEnv *env, jclass cls, jlong send, jlong recv, jint count, jint type, jint root) {
  (void)cls;
  if (!valid_type(env, type)) return;
  MPI_Datatype t = datatype(type);
  check(env, MPI_Scatter(at(send), count, t, recv ? at(recv) : MPI_IN_PLACE, count, t, root,
                         MPI_COMM_WORLD),
        "MPI_Scatter");
}

/* ---- send ---- */

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_sendArray(
    JNIEnv *env, jclass cls, jobject array, jint offset, jint count, jint type, jint dest,
    jint tag) {
  (void)cls;
  if (!valid_type(env, type)) return;
  if (!present(env, array)) return;
  pin_t p;
  char *buf = pin(env, &p, array, offset, type);
  if (buf == NULL) return;
  int rc = MPI_Send(buf, count, datatype(type), peer(dest), tag, MPI_COMM_WORLD);
  unpin(env, &p, JNI_ABORT);
  check(env, rc, "MPI_Send");
}

JNIEXPORT void JNICALL Java_io_dflow_executor_mpi_MpiNative_sendBuffer(
    JNIEnv *env, jclass cls, jlong buf, jint count, jint type, jint dest, jint tag) {
  (void)cls;
  if (!valid_type(env, type)) return;
  check(env, MPI_Send(at(buf), count, datatype(type), peer(dest), tag, MPI_COMM_WORLD),
        "MPI_Send");
}

/*
 * ---- recv and sendrecv: return the number of bytes received ----
 *
 * A message longer than the buffer must never reach it: Open MPI 4.1's shared-memory
 * single-copy path (vader over CMA) writes a truncated rendezvous message past the end of
 * the receive buffer, which here is the Java heap or a pooled direct buffer. So the message
 * is probed first (MPI_Mprobe, which also keeps a waiting receive out of any critical region)
 * and one that does not fit is drained into scratch memory and reported as MPI_ERR_TRUNCATE.
 */

typedef struct {
  int rc;
  const char *call;
  int arrived; /* bytes */
  int room;    /* bytes */
} recv_t;

static recv_t probe(int source, int tag, long long room, MPI_Message *message) {
  recv_t r = {MPI_SUCCESS, "MPI_Mprobe", 0, room > INT_MAX ? INT_MAX : (int)room};
  MPI_Status status;
  r.rc = MPI_Mprobe(source, tag, MPI_COMM_WORLD, message, &status);
  if (r.rc == MPI_SUCCESS) {
    r.call = "MPI_Get_count";
    r.rc = MPI_Get_count(&status, MPI_BYTE, &r.arrived);
  }
  return r;
}

/* Receives the probed message into buf, or drains it when it is longer than the room there. */
static void take(recv_t *r, MPI_Message *message, char *buf, jint type, const char *call) {
  if (r->rc != MPI_SUCCESS) return;
  r->call = "MPI_Mrecv";
  int size = element_size(type);
  if (r->arrived <= r->room) {
    r->rc = r->arrived % size == 0
        ? MPI_Mrecv(buf, r->arrived / size, datatype(type), message, MPI_STATUS_IGNORE)
        : MPI_Mrecv(buf, r->arrived, MPI_BYTE, message, MPI_STATUS_IGNORE);
    return;
  }
  char *scratch = malloc((size_t)r->arrived);
  if (scratch == NULL) {
    r->rc = MPI_ERR_NO_MEM;
    return;
  }
  r->rc = MPI_Mrecv(scratch, r->arrived, MPI_BYTE, message, MPI_STATUS_IGNORE);
  free(scratch);
  if (r->rc == MPI_SUCCESS) {
    r->rc = MPI_ERR_TRUNCATE;
    r->call = call;
  }
}

/* The bytes received, or -1 with an exception. */
static jint report(JNIEnv *env, recv_t *r) {
  char detail[128] = "";
  if (r->rc == MPI_ERR_TRUNCATE && r->arrived > r->room) {
    snprintf(detail, sizeof detail, " (%d bytes arrived for a buffer of %d)", r->arrived, r->room);
  }
  return check_detail(env, r->rc, r->call, detail) ? -1 : r->arrived;
}

JNIEXPORT jint JNICALL Java_io_dflow_executor_mpi_MpiNative_recvArray(
    JNIEnv *env, jclass cls, jobject array, jint offset, jint count, jint type, jint source,
    jint tag) {
  (void)cls;
  if (!valid_type(env, type)) return -1;
  if (!present(env, array)) return -1;
  MPI_Message message;
  recv_t r = probe(peer(source), tag, (long long)count * element_size(type), &message);
  if (r.rc == MPI_SUCCESS) {
    pin_t p;
    char *buf = pin(env, &p, array, offset, type);
    if (buf == NULL) return -1; /* the probed message stays unreceived: the JVM is out of memory */
    take(&r, &message, buf, type, "MPI_Recv");
    unpin(env, &p, 0);
  }
  return report(env, &r);
}

JNIEXPORT jint JNICALL Java_io_dflow_executor_mpi_MpiNative_recvBuffer(
    JNIEnv *env, jclass cls, jlong buf, jint count, jint type, jint source, jint tag) {
  (void)cls;
  if (!valid_type(env, type)) return -1;
  MPI_Message message;
  recv_t r = probe(peer(source), tag, (long long)count * element_size(type), &message);
  take(&r, &message, at(buf), type, "MPI_Recv");
  return report(env, &r);
}

/*
 * MPI_Sendrecv's own receive has the same overflow, so: MPI_Isend, then a probed receive,
 * then MPI_Wait. A dest or source of -1 skips that half (its array may then be null; 0 bytes
 * are then reported received).
 */
static recv_t sendrecv(char *in, int dest, char *out, int source, jint count, jint type,
                       jint tag) {
  MPI_Request request = MPI_REQUEST_NULL;
  recv_t r = {MPI_SUCCESS, "MPI_Isend", 0, 0};
  if (in != NULL) {
    r.rc = MPI_Isend(in, count, datatype(type), peer(dest), tag, MPI_COMM_WORLD, &request);
    if (r.rc != MPI_SUCCESS) return r;
  }
  if (out != NULL) {
    MPI_Message message;
    r = probe(peer(source), tag, (long long)count * element_size(type), &message);
    take(&r, &message, out, type, "MPI_Sendrecv");
  }
  int rc = MPI_Wait(&request, MPI_STATUS_IGNORE);
  if (r.rc == MPI_SUCCESS && rc != MPI_SUCCESS) {
    r.rc = rc;
    r.call = "MPI_Wait";
  }
  return r;
}

JNIEXPORT jint JNICALL Java_io_dflow_executor_mpi_MpiNative_sendRecvArray(
    JNIEnv *env, jclass cls, jobject send, jint sendOffset, jint dest, jobject recv,
    jint recvOffset, jint source, jint count, jint type, jint tag) {
  (void)cls;
  if (!valid_type(env, type)) return -1;
  pin_t s = {0}, r = {0};
  char *in = NULL, *out = NULL;
  if (send != NULL && (in = pin(env, &s, send, sendOffset, type)) == NULL) return -1;
  if (recv != NULL && (out = pin(env, &r, recv, recvOffset, type)) == NULL) {
    unpin(env, &s, JNI_ABORT);
    return -1;
  }
  recv_t result = sendrecv(in, dest, out, source, count, type, tag);
  unpin(env, &r, 0);
  unpin(env, &s, JNI_ABORT);
  return report(env, &result);
}

JNIEXPORT jint JNICALL Java_io_dflow_executor_mpi_MpiNative_sendRecvBuffer(
    JNIEnv *env, jclass cls, jlong send, jint dest, jlong recv, jint source, jint count,
    jint type, jint tag) {
  (void)cls;
  if (!valid_type(env, type)) return -1;
  recv_t result = sendrecv(at(send), dest, at(recv), source, count, type, tag);
  return report(env, &result);
}
