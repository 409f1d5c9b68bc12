package io.dflow.executor.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of class fetches: answers a {@link Message.ClassRequest} from the
 * {@link ClassResolver}, or with a {@link Message.ClassMissing} when the name is malformed, not
 * served, or its class and attachment would not fit in one frame. Nothing here reads a file: a
 * name reaches only the resolver's own lookup.
 */
final class ClassRequestHandler extends SimpleChannelInboundHandler<Message.ClassRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ClassRequestHandler.class);
  /** A binary class name: dot-separated Java identifiers, nested classes after {@code $}. */
  private static final Pattern BINARY_NAME =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  private final ClassResolver resolver;
  private final int maxFrameBytes;

  ClassRequestHandler(ClassResolver resolver, int maxFrameBytes) {
    super(Message.ClassRequest.class);
    this.resolver = resolver;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Whether {@code name} is a syntactically valid binary class name. */
  static boolean isBinaryName(String name) {
    return BINARY_NAME.matcher(name).matches();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message.ClassRequest request) {
    String name = request.className();
    if (!isBinaryName(name)) {
      refuse(ctx, request, "not a class name: " + abbreviated(name));
      return;
    }
    ServedClass served;
    try {
      served = resolver.resolve(name);
    } catch (RuntimeException e) {
      LOG.warn("class resolver failed on {}", name, e);
      refuse(ctx, request, "server error resolving class " + name + ": " + e);
      return;
    }
    if (served == null) {
      refuse(ctx, request, "class " + name + " is not served here");
      return;
    }
    long frame = (long) Wire.CLASS_RESPONSE_FRAME_OVERHEAD + served.bytecode().length + served.attachment().length;
    if (frame > maxFrameBytes) {
      refuse(ctx, request, "class " + name + " and its attachment (" + frame + " bytes) do not fit in a frame of "
          + maxFrameBytes + " bytes");
      return;
    }
    ctx.writeAndFlush(new Message.ClassResponse(request.requestId(), served.bytecode(), served.attachment()))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private static String abbreviated(String name) {
    return name.length() > 80 ? name.substring(0, 80) + "..." : name;
  }

  private static void refuse(ChannelHandlerContext ctx, Message.ClassRequest request, String message) {
    ctx.writeAndFlush(new Message.ClassMissing(request.requestId(), message))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }
}
