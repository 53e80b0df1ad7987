import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SqsRequests } from "../aws/aws-clients.ts";
import { buildDeadLetterMessage, type DeadLetter } from "./dead-letter-message.ts";

/**
 * Sends failed events to the DLQ per the contract. The caller acknowledges the source message
 * only after `send` resolved: a failed send throws, and the record is reported failed (nothing
 * is lost).
 */
export class DeadLetterRouter {
  readonly #sqs: SqsRequests;
  readonly #dlqUrl: string;

  constructor(options: { sqs: SqsRequests; dlqUrl: string }) {
    this.#sqs = options.sqs;
    this.#dlqUrl = options.dlqUrl;
  }

  async send(deadLetter: DeadLetter): Promise<{ messageId: string | undefined }> {
    const output = await this.#sqs.send(
      new SendMessageCommand(buildDeadLetterMessage(this.#dlqUrl, deadLetter)),
    );
    return { messageId: output.MessageId };
  }
}
