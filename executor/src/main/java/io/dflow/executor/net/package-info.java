/**
 * The network transport between the driver and executors, and between executors for shuffle
 * fetches.
 *
 * <p>Every connection is authenticated before anything is decoded: both sides prove they hold
 * the per-run secret with an HMAC-SHA256 challenge/response ({@code ServerHandshakeHandler},
 * {@code ClientHandshakeHandler}). Only then are the frame decoder and message handlers
 * installed. After that the wire carries length-prefixed frames with a size limit:
 * opaque control messages (the caller serialises its own RPC payloads) and block fetches,
 * which the server answers straight from a file region with zero-copy sends (and the client
 * copies once, from its read buffers into the block), and class fetches
 * by name, which the server answers only for the classes its {@link ClassResolver} made (a
 * shell's snippet classes): a name never reaches the file system or the class path.
 *
 * <p>Public surface: {@link TransportServer}, {@link TransportClient}, {@link Connection},
 * {@link TransportConf}, {@link MessageHandler}, {@link BlockResolver}, {@link BlockRegion},
 * {@link ClassResolver}, {@link ServedClass}, {@link ClassNotServedException}, {@link TlsIdentity}.
 * Everything else (messages, codec, handlers) is package-private.
 *
 * <p>With a {@link TlsIdentity} in the {@link TransportConf} every connection is TLS 1.3
 * first, both ends presenting the application's certificate and trusting only it
 * ({@code OnlyThisCertificate}); the handshake above runs inside it, and file chunks are
 * read into buffers for the TLS engine instead of sent zero-copy.
 *
 * <h2>Pipelines</h2>
 * <pre>
 * with TLS:     SslHandler first, always (and a ChunkedWriteHandler after auth on the server)
 * before auth:  [ServerHandshakeHandler | ClientHandshakeHandler]   (fixed-size reads only)
 * after auth:   server: frameDecoder (LengthFieldBasedFrameDecoder, maxFrameBytes) → MessageDecoder
 *               client: frameDecoder (ClientFrameDecoder, maxFrameBytes; fetch data as slices)
 *               → MessageEncoder (outbound)
 *               → server: FetchRequestHandler → ClassRequestHandler
 *                 | client: FetchResponseHandler → ClassResponseHandler
 *               → ControlMessageHandler (control messages, close, errors)
 * </pre>
 *
 * <h2>Threading</h2>
 * All I/O runs on one process-wide NIO event loop group of daemon threads ({@code EventLoops}).
 * {@link MessageHandler} and {@link BlockResolver} are called on an event loop thread and must
 * not block. {@link Connection#send}, {@link TransportClient#fetch} and {@code close} may be
 * called from any thread. A client's fetch bookkeeping is touched only on its event loop.
 *
 * <h2>Buffer ownership</h2>
 * Whoever touches a buffer last releases it:
 * <ul>
 *   <li>Handshake handlers consume the raw inbound buffers and release them; leftover bytes that
 *       follow a verified server proof are handed on (with their ownership) to the frame
 *       decoder.</li>
 *   <li>The server's frame decoder hands one frame buffer to {@code MessageDecoder}, whose
 *       superclass releases it after decoding; decoded messages hold only heap arrays and
 *       strings. The client's {@code ClientFrameDecoder} releases every inbound buffer it reads;
 *       the one {@code ByteBuf} that leaves it is a {@code FetchStream.Data} slice of fetch
 *       data (retained), which {@code FetchResponseHandler} releases once copied.</li>
 *   <li>Outbound buffers ({@code MessageEncoder}'s output, fetch response headers) and the
 *       {@code DefaultFileRegion} of a fetch chunk are released by the transport once written
 *       or failed.</li>
 * </ul>
 *
 * <p>This package must not depend on the rest of dflow: it knows bytes, block ids and files,
 * not tasks, jobs or shuffles. Its only dependencies are Netty, the JDK and SLF4J.
 */
package io.dflow.executor.net;
