// Tutorial section 9 (管道): a duplex Pipe between a producer and a consumer.
#include "engine/runtime/api.hpp"
#include "engine/runtime/connection.hpp"
#include "engine/runtime/process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

class Consumer : public rt::Process {
 public:
  explicit Consumer(rt::Connection c) : Process("Consumer", {rt::Value(c.handle())}, "Consumer"), c_(c) {}
  void run() override {
    c_.send("Consumer Words");
    rt::print("Consumer Received: " + c_.recv());
  }

 private:
  rt::Connection c_;
};

class Producer : public rt::Process {
 public:
  explicit Producer(rt::Connection c) : Process("Producer", {rt::Value(c.handle())}, "Producer"), c_(c) {}
  void run() override {
    rt::print("Producer Received: " + c_.recv());
    c_.send("Producer Words");
  }

 private:
  rt::Connection c_;
};

}  // namespace

ScenarioDef pipe() {
  ScenarioDef d;
  d.info.name = "pipe";
  d.info.section = "9";
  d.info.title_zh = "管道 Pipe：两个进程互相发消息";
  d.info.title_en = "Pipe: two processes talk both ways";
  d.info.explain_zh =
      "Pipe() 返回两端连接，默认是双向的（duplex=True）；Pipe(duplex=False) 只能单向（教程把它误写成 deplex）。"
      "生产者拿 pipe[0]，消费者拿 pipe[1]。消费者先发送 'Consumer Words'，生产者在 recv() 里阻塞直到收到，"
      "再回复 'Producer Words'。观察箭头：每条消息从发送者的泳道指向接收者的泳道。";
  d.info.explain_en =
      "Pipe() returns two connected ends and is duplex by default; Pipe(duplex=False) is one-way "
      "(the tutorial misspells it 'deplex'). The producer holds pipe[0], the consumer pipe[1]. The "
      "consumer sends 'Consumer Words'; the producer is blocked in recv() until it arrives, then "
      "answers 'Producer Words'. Watch the arrows: each message goes from the sender's lane to the "
      "receiver's.";
  d.info.listing_file = "pipe.py";
  d.entries = {
      {"Consumer", [](const rt::Args& a) { Consumer(rt::Connection(a.h(0))).run(); }},
      {"Producer", [](const rt::Args& a) { Producer(rt::Connection(a.h(0))).run(); }},
  };
  d.main = [](const ParamValues&) {
    auto pipe = rt::Pipe();
    Producer p(pipe.first);
    Consumer c(pipe.second);
    p.daemon = c.daemon = true;
    p.start();
    c.start();
    p.join();
    c.join();
    rt::print("Main Process Ended");
  };
  return d;
}

}  // namespace mpviz::scenarios
