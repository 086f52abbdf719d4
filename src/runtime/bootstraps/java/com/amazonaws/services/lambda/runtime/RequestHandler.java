package com.amazonaws.services.lambda.runtime;

/** A handler whose event and result the runtime converts from and to JSON. */
public interface RequestHandler<I, O> {
    O handleRequest(I input, Context context);
}
