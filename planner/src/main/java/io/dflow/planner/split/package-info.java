/**
 * Input split planning: how the files of a text source are cut and packed into
 * {@link io.dflow.api.plan.FileSplit}s, each carrying the hosts that hold most of its bytes.
 * Big files are cut (block-aligned where blocks are no bigger than a split), small files are
 * packed together so that no task carries too little work.
 *
 * <p>Pure logic over {@link io.dflow.api.plan.InputFile} lists: no I/O, no Hadoop, no threads.
 */
package io.dflow.planner.split;
