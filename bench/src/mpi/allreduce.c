/*
 * The floor of bench/mpi-allreduce.sh: MPI_Allreduce (MPI_SUM over doubles, separate send
 * and receive buffers) in a plain C loop, timed as AllReduceBench times NativeCommunicator:
 * one untimed round, then <rounds> timed rounds of <iterations> calls; a round's time is the
 * slowest rank's, and the median round is printed. Built with
 * -DTHREAD_LEVEL=MPI_THREAD_SERIALIZED it initialises MPI at the shim's thread level instead
 * of with MPI_Init.
 * usage: allreduce <doubles> <iterations> <rounds>
 * prints: allreduce c <ranks> <doubles> <microseconds per call>
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
#ifdef THREAD_LEVEL
  int provided;
  MPI_Init_thread(&argc, &argv, THREAD_LEVEL, &provided);
#else
  MPI_Init(&argc, &argv);
#endif
  if (argc != 4) {
    fprintf(stderr, "usage: allreduce <doubles> <iterations> <rounds>\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  int n = atoi(argv[1]), iterations = atoi(argv[2]), rounds = atoi(argv[3]);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  double *send = malloc(sizeof(double) * n), *recv = malloc(sizeof(double) * n);
  double *times = malloc(sizeof(double) * rounds);
  for (int i = 0; i < n; i++) {
    send[i] = i % 7 + rank + 1;
  }
  for (int round = -1; round < rounds; round++) {
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (int i = 0; i < iterations; i++) {
      MPI_Allreduce(send, recv, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    }
    double elapsed = MPI_Wtime() - start, slowest;
    MPI_Allreduce(&elapsed, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    if (round >= 0) {
      times[round] = slowest / iterations * 1e6;
    }
  }
  double expected = 0;
  for (int r = 0; r < size; r++) {
    expected += (n - 1) % 7 + r + 1;
  }
  if (recv[n - 1] != expected) {
    fprintf(stderr, "rank %d: wrong sum %g, expected %g\n", rank, recv[n - 1], expected);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  qsort(times, rounds, sizeof(double), by_value);
  if (rank == 0) {
    printf("allreduce c %d %d %.3f\n", size, n, times[rounds / 2]);
  }
  free(times);
  free(send);
  free(recv);
  MPI_Finalize();
  return 0;
}
