package io.dflow.driver.yarn;

import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;

/**
 * A file in the staging directory that YARN localises into a container's working folder as
 * {@code link}: YARN checks {@code size} and {@code timestamp} against the file before it copies it.
 */
record ShippedFile(String link, String uri, long size, long timestamp) {
  static final int FIELDS = 4;

  static ShippedFile of(String link, FileStatus status) {
    return new ShippedFile(link, status.getPath().toUri().toString(), status.getLen(), status.getModificationTime());
  }

  static ShippedFile of(List<String> fields) {
    return new ShippedFile(fields.get(0), fields.get(1), Long.parseLong(fields.get(2)), Long.parseLong(fields.get(3)));
  }

  List<String> fields() {
    return List.of(link, uri, String.valueOf(size), String.valueOf(timestamp));
  }

  /** As YARN wants it: private to the user, so a NodeManager keeps it for the user's next applications too. */
  LocalResource resource() {
    return LocalResource.newInstance(URL.fromURI(java.net.URI.create(uri)), LocalResourceType.FILE,
        LocalResourceVisibility.PRIVATE, size, timestamp);
  }
}
