package io.tokenworks.latzero.memory;

/**
 * One session's attachments to a block (reference counts per mode).
 *
 * @param sessionId the session
 * @param appId its app
 * @param readCount read-mode attachments not yet detached
 * @param writeCount write-mode attachments not yet detached
 */
public record Attachment(String sessionId, String appId, int readCount, int writeCount) {}
