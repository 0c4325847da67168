'use strict';

// An error the HTTP layer turns into toncenter's envelope: {"ok":false,"error":message,"code":code}.
class ApiError extends Error {
    constructor(code, message) {
        super(message);
        this.name = 'ApiError';
        this.code = code;
    }

    static badRequest(message) {
        return new ApiError(400, message);
    }

    static notFound(message) {
        return new ApiError(404, message);
    }
}

module.exports = { ApiError };
