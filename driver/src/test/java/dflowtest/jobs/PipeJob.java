package dflowtest.jobs;

import io.dflow.api.Broadcast;
import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.LongCounter;
import java.util.List;
import java.util.Map;

/**
 * {@code Dataset.pipe} twice, after a step that reads a broadcast and adds to a counter (which
 * then runs on the pipe's stdin thread): {@code <in> <out>}. Each line becomes
 * {@code "> " + upper(line + "!")}.
 */
public final class PipeJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    LongCounter seen = ctx.counter("lines.seen");
    Broadcast<String> suffix = ctx.broadcast("!");
    ctx.textFile(args[0])
        .map(line -> {
          seen.add(1);
          return line + suffix.value();
        }, Encoders.strings())
        .pipe("tr a-z A-Z")
        .pipe(List.of("sh", "-c", "while IFS= read -r l; do printf '%s%s\\n' \"$PREFIX\" \"$l\"; done"),
            Map.of("PREFIX", "> "))
        .saveAsTextFile(args[1]);
  }
}
