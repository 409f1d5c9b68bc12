package io.dflow.planner;

import io.dflow.api.plan.InputFile;
import java.io.IOException;
import java.util.List;

/** Lists the files behind a text source. The driver backs it with a Hadoop file system; tests with fakes. */
@FunctionalInterface
public interface InputCatalog {
  List<InputFile> list(String path) throws IOException;
}
