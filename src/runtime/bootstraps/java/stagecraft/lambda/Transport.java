package stagecraft.lambda;

import java.io.IOException;

/** How invocations reach the runtime and answers leave it: the private channel (ChannelApi) or the HTTP Runtime API (RuntimeApi). */
interface Transport {
    RuntimeApi.Invocation next() throws IOException;

    void response(String requestId, byte[] body) throws IOException;

    /** `last`: the runtime exits after this answer (it asks for nothing more). */
    void error(String requestId, String errorJson, String errorType, boolean last) throws IOException;

    void initError(String errorJson, String errorType) throws IOException;
}
